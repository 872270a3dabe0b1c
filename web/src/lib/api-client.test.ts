import { describe, expect, it } from 'vitest';

import { apiError, mockApi } from '../testing/mock-api';
import { ApiError, api, unwrap } from './api-client';
import { session } from './session';

describe('the API client', () => {
  it('sends the session token and ends the session on 401 session_expired', async () => {
    const mock = mockApi({ 'GET /api/v1/me': apiError(401, 'session_expired') });
    session.start({ token: 'secret-token', expiresAt: '', username: 'ana' });
    await expect(unwrap(api.GET('/api/v1/me'))).rejects.toMatchObject({ status: 401, code: 'session_expired' });
    expect(mock.calls[0]?.headers.get('authorization')).toBe('Bearer secret-token');
    expect(session.snapshot()).toEqual({ current: null, ended: 'expired' });
  });

  it('keeps the session on a wrong password at login', async () => {
    mockApi({ 'POST /api/v1/auth/login': apiError(401, 'invalid_credentials') });
    session.start({ token: 'secret-token', expiresAt: '', username: 'ana' });
    await expect(unwrap(api.POST('/api/v1/auth/login', { body: { username: 'a', password: 'b' } }))).rejects.toBeInstanceOf(ApiError);
    expect(session.token()).toBe('secret-token');
  });

  it('reads error details such as the flight of seat_unavailable', async () => {
    mockApi({ 'GET /api/v1/airports': apiError(409, 'seat_unavailable', { flight: 'RU1001-2026-12-01' }) });
    const error = await unwrap(api.GET('/api/v1/airports')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).detail('flight')).toBe('RU1001-2026-12-01');
  });

  it('turns an unreachable node into a network_error', async () => {
    mockApi();
    globalThis.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    await expect(unwrap(api.GET('/api/v1/airports'))).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });
});
