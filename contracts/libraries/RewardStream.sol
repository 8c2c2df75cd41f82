// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// @dev A gain token and the timing of its reward stream, in one slot. `finish == 0`: no stream.
/// A running stream always has lastUpdate < finish. Its rate (wei per second, scaled by
/// RewardStream.RATE_PRECISION) is kept beside it by the contract.
struct StreamedToken {
    address token;
    uint40 lastUpdate;
    uint40 finish;
}

/// @title RewardStream
/// @notice The release schedule shared by the StabilityPool and SumStaking. A stream releases a
/// fixed rate per second from `lastUpdate` until `finish`, but only while the contract can take
/// it (the pool or the stakes are large enough). While it cannot, the stream is PAUSED: nothing
/// is released and `finish` moves later by the time held, so whoever is present when it resumes
/// earns it second by second. There is no step at which held rewards are released as a lump.
/// @dev Released amounts are kept scaled by RATE_PRECISION and credited to the running sums in
/// that precision, so a release is never rounded to whole wei. The rate rounds down at each
/// notification, so a stream releases at most what was notified for it, second by second: in no
/// interval does it release more than the ideal stream (amount / duration per second) would.
/// What the floor keeps back (below duration / RATE_PRECISION wei per notification, i.e. below
/// 1e-9 wei) stays in the contract and joins no one's claim.
library RewardStream {
    /// @notice Rates are wei per second times RATE_PRECISION.
    uint256 internal constant RATE_PRECISION = 1e18;

    /// @dev Whether advancing now would do nothing: no stream, or already advanced this second.
    function idle(StreamedToken memory st) internal view returns (bool) {
        return st.finish == 0 || st.lastUpdate == block.timestamp;
    }

    /// @dev The stream (not idle) advanced to now: with `canRelease`, what it releases since
    /// `lastUpdate` (scaled: rate * seconds, no rounding) and `finish` cleared once reached;
    /// without, nothing released and the schedule paused (`finish` moved later by the seconds
    /// held). rate * seconds <= 2e54 * 2^40: no overflow.
    function advance(StreamedToken memory st, uint256 rate, bool canRelease)
        internal
        view
        returns (StreamedToken memory next, uint256 releasedScaled)
    {
        uint256 elapsed = block.timestamp - st.lastUpdate;
        next = StreamedToken(st.token, uint40(block.timestamp), st.finish);
        if (!canRelease) {
            next.finish = uint40(st.finish + elapsed); // paused: the end moves with the hold
        } else if (block.timestamp >= st.finish) {
            releasedScaled = rate * (st.finish - st.lastUpdate);
            next.finish = 0;
        } else {
            releasedScaled = rate * elapsed;
        }
    }

    /// @dev What `advance` would release now with the contract able to take it (views).
    function pendingScaled(StreamedToken memory st, uint256 rate) internal view returns (uint256) {
        if (st.finish == 0) return 0;
        uint256 end = block.timestamp < st.finish ? block.timestamp : st.finish;
        return rate * (end - st.lastUpdate);
    }

    /// @dev Not yet released, scaled, as of `lastUpdate`: rate * (finish - lastUpdate).
    function unreleasedScaled(StreamedToken memory st, uint256 rate) internal pure returns (uint256) {
        return st.finish == 0 ? 0 : rate * (st.finish - st.lastUpdate);
    }

    /// @dev A new notification on a stream already advanced to now: what it has not released and
    /// `amount` more are released evenly over `duration` (> 0) seconds from now. The new rate
    /// rounds down, so the stream never releases more than it holds.
    function renew(StreamedToken memory st, uint256 rate, uint256 amount, uint256 duration)
        internal
        view
        returns (StreamedToken memory next, uint256 newRate)
    {
        newRate = (unreleasedScaled(st, rate) + amount * RATE_PRECISION) / duration;
        next = StreamedToken(st.token, uint40(block.timestamp), uint40(block.timestamp + duration));
    }
}
