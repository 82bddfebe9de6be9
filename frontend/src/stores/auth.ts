import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import { ApiError } from '../api/client';
import { getMe, signIn, signOut } from '../api/endpoints';
import type { Me } from '../api/types';

/** Why the sign-in page is showing: the session ran out, or the user signed out. */
export type SignInNotice = 'expired' | 'signedOut';

const NOBODY: Me['can'] = {
  read: false,
  write: false,
  admin: false,
  etlStatus: false,
  masterdataRead: false,
  masterdata: false,
  etlRun: false,
  quarterReportRead: false,
  quarterReport: false,
};

/**
 * Who is signed in (/api/auth/me, asked once at start), what they may do, and sign-in,
 * sign-out and the end of a session. The session itself is the API's httpOnly cookie: the
 * page never sees it.
 */
export const useAuthStore = defineStore('auth', () => {
  const me = shallowRef<Me>();
  /** Why /api/auth/me could not say (the server unreachable…); not set for a plain 401. */
  const loadError = shallowRef<ApiError>();
  const notice = shallowRef<SignInNotice>();
  let pending: Promise<void> | undefined;

  /** Asks the API who is signed in, once; again after a failure other than 401. */
  function load(): Promise<void> {
    pending ??= getMe()
      .then((value) => {
        me.value = value;
        loadError.value = undefined;
      })
      .catch((cause: unknown) => {
        me.value = undefined;
        if (cause instanceof ApiError && cause.status === 401) {
          loadError.value = undefined;
          return;
        }
        loadError.value = cause instanceof ApiError ? cause : new ApiError(0, String(cause));
        pending = undefined;
      });
    return pending;
  }

  async function login(username: string, password: string): Promise<Me> {
    const value = await signIn(username, password);
    me.value = value;
    notice.value = undefined;
    loadError.value = undefined;
    pending = Promise.resolve();
    return value;
  }

  /** Ends the session; one the server has ended already (401) counts as ended. */
  async function logout(): Promise<void> {
    try {
      await signOut();
    } catch (cause) {
      if (!(cause instanceof ApiError && cause.status === 401)) throw cause;
    }
    me.value = undefined;
    notice.value = 'signedOut';
  }

  /** A call found the session gone: true the first time (the caller sends the user to sign in). */
  function expire(): boolean {
    if (!me.value) return false;
    me.value = undefined;
    notice.value = 'expired';
    return true;
  }

  const role = computed(() => me.value?.role);
  const can = computed(() => me.value?.can ?? NOBODY);

  return { me, loadError, notice, role, can, load, login, logout, expire };
});
