/** A connection URL fit for logs: the password replaced, or a placeholder when it does not parse. */
export function describeConnectionUrl(url: string, name: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return `(unparsable ${name})`;
  }
}
