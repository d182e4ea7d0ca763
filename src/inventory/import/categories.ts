/**
 * @module The category resolver an import uses by default: the inventory taxonomy's lookup of ids,
 * labels and synonyms ("Infusion Pump", "IV pump", "PUMPS, INFUSION" -> infusion-pump).
 */
import { resolveCategory } from '../taxonomy.js';
import type { CategoryResolver } from './row.js';

export const defaultCategoryResolver: CategoryResolver = (raw) => resolveCategory(raw)?.id;
