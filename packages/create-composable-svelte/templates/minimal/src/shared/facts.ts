/** Something true about a number: what the page's effect loads. */
export function numberFact(n: number): string {
  const parity = n % 2 === 0 ? 'even' : 'odd';
  const root = Math.sqrt(Math.abs(n));
  const traits = [parity];
  if (isPrime(n)) traits.push('prime');
  if (Number.isInteger(root)) traits.push(`the square of ${root}`);
  const last = traits.pop()!;
  return `${n} is ${traits.length > 0 ? `${traits.join(', ')} and ${last}` : last}.`;
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let divisor = 2; divisor * divisor <= n; divisor++) if (n % divisor === 0) return false;
  return true;
}
