"""Amounts every driver of the pool uses: one whole 18-decimal token, and uint256's maximum
(`withdraw(MAX_UINT)` takes everything; approvals of MAX_UINT are unlimited)."""

E18 = 10**18
MAX_UINT = 2**256 - 1
