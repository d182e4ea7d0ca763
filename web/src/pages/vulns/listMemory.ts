/**
 * @module Remembers where the findings and products lists were (filters in the URL) so the back link on
 * a finding or product returns there rather than to an unfiltered first page.
 */

let findingsHref = '/findings';
let productsHref = '/products';

export const rememberFindingsList = (href: string): void => {
  findingsHref = href;
};
export const lastFindingsHref = (): string => findingsHref;

export const rememberProductsList = (href: string): void => {
  productsHref = href;
};
export const lastProductsHref = (): string => productsHref;
