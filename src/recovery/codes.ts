/** Voucher codes customers can read aloud: no 0/O, 1/I/L; 12 random characters ≈ 60 bits. */
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

export function voucherCode(
  prefix = "MG",
  random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n)),
): string {
  const bytes = random(12);
  let code = "";
  for (const b of bytes) code += ALPHABET[b % ALPHABET.length];
  return `${prefix}-${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}`;
}
