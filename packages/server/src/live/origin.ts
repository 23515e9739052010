/**
 * The origins a browser page may open `/live` from: the site itself (PUBLIC_URL) and the CORS
 * allow-list. A cross-site page would otherwise ride the visitor's cookie (cross-site WebSocket
 * hijacking): browsers always send Origin on a WebSocket handshake, so it is checked before the
 * upgrade. A request without Origin is not a browser's and carries no ambient credential risk.
 */
export function allowedOrigin(origin: string | undefined, allowed: ReadonlySet<string>): boolean {
  return origin === undefined || allowed.has(origin);
}

export function originsFrom(publicUrl: string, corsOrigins: readonly string[]): Set<string> {
  return new Set([new URL(publicUrl).origin, ...corsOrigins]);
}
