import "server-only";
import { getEngine } from "../client";
import { activeTokenCount, checkToken, createToken, listTokens, revokeToken, type TokenCheck, type TokenDays, type TokenRow } from "../tokens";

// Personal API tokens (issue 20, item 5; db/tokens.ts): a user's own on /account, everyone's
// on /admin/tokens, and the check of a bearer token for the JSON API (app/session.ts).

export { DEFAULT_TOKEN_DAYS, TOKEN_DAYS, TOKEN_NAME_MAX } from "../tokens";
export type { TokenCheck, TokenDays, TokenRow };

export async function myTokens(userId: string): Promise<TokenRow[]> {
  return listTokens(getEngine(), userId);
}

export async function allTokens(): Promise<TokenRow[]> {
  return listTokens(getEngine());
}

export async function createMyToken(userId: string, name: string, days: TokenDays): Promise<{ id: number; token: string; expiresAt: number }> {
  return createToken(getEngine(), userId, name, days);
}

/** The user's own token; false when it has none by that id. */
export async function revokeMyToken(userId: string, id: number): Promise<boolean> {
  return revokeToken(getEngine(), id, userId, userId);
}

/** Any token (an admin's page); false when there is none by that id. */
export async function revokeAnyToken(actorId: string, id: number): Promise<boolean> {
  return revokeToken(getEngine(), id, actorId);
}

/** The user record a bearer token stands for, or why not. */
export async function bearerUser(token: string): Promise<TokenCheck> {
  return checkToken(getEngine(), token);
}

/** The admin index's figure: tokens that still work. */
export async function activeTokens(): Promise<number> {
  return activeTokenCount(getEngine());
}
