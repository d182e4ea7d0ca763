/** @module The dashboard's router: hash location, navigation and links. */
export { buildHref, matchRoute, navigate, parseHash, useLocation } from './router.js';
export type { Location, RouteMatch } from './router.js';
export { Link } from './Link.js';
