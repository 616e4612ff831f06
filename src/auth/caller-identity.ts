// Who is calling: the client id that scopes idempotency and limits, what it may do, and how it proved it.

/** How the caller proved who it is; `none` when authentication is off. */
export type AuthenticationMethod = 'api-key' | 'jwt' | 'none';

export interface CallerIdentity {
  /**
   * The authenticated client id (the API key's `clientId`, or the JWT's client claim). With
   * authentication off, the `apollographql-client-name` header or `anonymous`.
   */
  readonly clientId: string;
  /** What the caller may do (see GatewayScope); with authentication off, every gateway scope. */
  readonly scopes: ReadonlySet<string>;
  readonly method: AuthenticationMethod;
}
