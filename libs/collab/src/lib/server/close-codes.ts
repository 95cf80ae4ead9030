/** The WebSocket close codes the collab server uses, one name per reason a socket is closed. */
export const CloseCode = {
  goingAway: 1001,
  unsupportedData: 1003,
  internalError: 1011,
  tryAgainLater: 1013,
  /** No, invalid or expired token; session ended. The stock client does not reconnect (44xx). */
  sessionEnded: 4401,
  /** No access (any more). */
  forbidden: 4403,
  /** No such proposal (any more). */
  notFound: 4404,
  /** An update over the limit, after a `too-large` permission-denied. */
  tooLarge: 4413,
  /**
   * Policy violation: awareness sent faster than any person's client would (a flood). The stock
   * client reconnects (with back-off) and starts with a fresh allowance.
   */
  policyViolation: 1008,
  /** Access changed (a reader may now write): the stock client reconnects and is decided afresh. */
  accessChanged: 4500,
} as const;
