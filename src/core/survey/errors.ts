/** Typed survey errors (STYLE §6): callers branch on `code`, never on `instanceof`. */
export type SurveyErrorCode =
  | 'BAD_DESCRIPTOR'
  | 'DESCRIPTOR_MISMATCH'
  | 'BAD_ANSWER'
  | 'BAD_REPORT'
  | 'BAD_MESSAGE'
  | 'NOT_AGGREGATOR'
  | 'SERVER'
  | 'RESULT_MISMATCH'
  | 'BAD_KEY';

export class SurveyError extends Error {
  override readonly name = 'SurveyError';
  constructor(
    readonly code: SurveyErrorCode,
    message: string,
  ) {
    super(message);
  }
}
