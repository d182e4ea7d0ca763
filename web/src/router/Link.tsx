/**
 * @module An anchor for the hash router: a real <a href="#/..."> so middle-click, copy-link and
 * keyboard activation behave like any link, with aria-current on the active navigation item.
 */
import type { AnchorHTMLAttributes, ReactNode } from 'react';

interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: string;
  children: ReactNode;
  current?: boolean;
}

export function Link({ to, children, current, ...rest }: LinkProps) {
  return (
    <a href={`#${to}`} aria-current={current ? 'page' : undefined} {...rest}>
      {children}
    </a>
  );
}
