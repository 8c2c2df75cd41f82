// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// @dev A gain token and the timing of its linear reward stream, in one slot. `finish == 0`: no
/// stream. The stream's unreleased amount is kept beside it by the contract.
struct StreamedToken {
    address token;
    uint40 lastUpdate;
    uint40 finish;
}

/// @title RewardStream
/// @notice The release schedule shared by the StabilityPool and SumStaking: a stream releases
/// linearly from `lastUpdate` to `finish`, and whatever it has not released by `finish` then.
library RewardStream {
    /// @dev What a stream releases now: remaining * elapsed / (finish - lastUpdate), rounded down
    /// (the rest stays in the stream, so nothing strands in it), or everything once `finish` has
    /// passed. In the division lastUpdate <= now < finish, so it is never by 0;
    /// remaining * elapsed <= 1e36 * 2^40: no overflow.
    function released(StreamedToken memory st, uint256 remaining) internal view returns (uint256 amount, bool done) {
        if (st.finish == 0) return (0, false);
        if (block.timestamp >= st.finish) return (remaining, true);
        amount = remaining * (block.timestamp - st.lastUpdate) / (st.finish - st.lastUpdate);
    }

    /// @dev Whether a release now would do nothing: no stream, or already released up to now.
    function idle(StreamedToken memory st) internal view returns (bool) {
        return st.finish == 0 || st.lastUpdate == block.timestamp && block.timestamp < st.finish;
    }
}
