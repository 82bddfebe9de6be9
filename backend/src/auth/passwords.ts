import argon2 from 'argon2';

/** argon2id with the library's defaults (64 MiB, 3 passes): ~100 ms per hash here. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false; // not an argon2 hash: nobody can sign in with it
  }
}

/**
 * A hash of a password nobody knows, verified against when the username does not exist, so
 * that a wrong username takes as long as a wrong password.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(`decoy-${Math.random()}`);
  return decoy;
}

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, username?: string): string | null {
  if (password.length < 8) return '密码至少 8 个字符 must be at least 8 characters';
  if (password.length > 128) return '密码至多 128 个字符 must be at most 128 characters';
  if (username && password.toLowerCase() === username.toLowerCase()) return '密码不能与用户名相同 must differ from the username';
  return null;
}
