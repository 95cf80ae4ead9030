import { HttpErrorResponse } from '@angular/common/http';
import { ApiError, toApiError } from './api-error';

describe('toApiError', () => {
  it('takes the reason from the server error body', () => {
    const error = toApiError(
      new HttpErrorResponse({ status: 409, error: { statusCode: 409, error: 'Conflict', message: 'Revision 4 is not current' } }),
    );

    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(409);
    expect(error.isConflict).toBe(true);
    expect(error.message).toBe('Revision 4 is not current');
  });

  it('keeps every field reason of a validation error', () => {
    const error = toApiError(
      new HttpErrorResponse({
        status: 400,
        error: { statusCode: 400, error: 'Bad Request', message: ['title should not be empty', 'kind must be a known type'] },
      }),
    );

    expect(error.reasons).toEqual(['title should not be empty', 'kind must be a known type']);
  });

  it('reads a JSON body that arrived as text', () => {
    const error = toApiError(
      new HttpErrorResponse({ status: 404, error: '{"statusCode":404,"error":"Not Found","message":"No such proposal"}' }),
    );

    expect(error.message).toBe('No such proposal');
  });

  it('explains an unreachable server', () => {
    expect(toApiError(new HttpErrorResponse({ status: 0 })).message).toMatch(/Cannot reach the Concord server/);
  });

  it('describes a server failure without a body', () => {
    expect(toApiError(new HttpErrorResponse({ status: 502 })).message).toMatch(/error 502/);
  });
});
