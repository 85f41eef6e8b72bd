/** A connection's client-side caching state and CLIENT TRACKING's options (tracking/table.ts uses them). */

/** A connection's tracking state (CLIENT TRACKING ON), kept in its session; null there when off. */
export class TrackingState {
  /** REDIRECT: the connection that receives the invalidations, 0 for this one. */
  redirect = 0;
  bcast = false;
  optin = false;
  optout = false;
  noloop = false;
  /** CLIENT CACHING YES (OPTIN) or NO (OPTOUT) was given for the next command (or transaction). */
  caching = false;
  /** The connection redirected to has closed (CLIENT LIST flag R, TRACKINGINFO broken_redirect). */
  brokenRedirect = false;
  /** BCAST prefixes (latin1), in the order given. */
  readonly prefixes = new Set<string>();
}

/** What CLIENT TRACKING ON asks for, once its arguments are checked. */
export interface TrackingOptions {
  readonly redirect: number;
  readonly bcast: boolean;
  readonly optin: boolean;
  readonly optout: boolean;
  readonly noloop: boolean;
  /** latin1 */
  readonly prefixes: readonly string[];
}
