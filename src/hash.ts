/**
 * SHA-256 of a text as hex, pure JS and synchronous (@noble/hashes): the same on Node and Workers,
 * and cheaper than WebCrypto's digest, whose thread-pool round trip costs more than the hash.
 * For fingerprints and ids; passwords use Argon2id (src/auth/passwords.ts).
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

export const sha256Hex = (text: string): string => bytesToHex(sha256(utf8ToBytes(text)));
