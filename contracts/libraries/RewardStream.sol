// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {IRewardStreams} from "../interfaces/IRewardStreams.sol";
import {IRewardTokens} from "../interfaces/IRewardTokens.sol";
import {ExactTransfers} from "./ExactTransfers.sol";

/// @dev A gain token and the timing of its reward stream, in one slot. `finish == 0`: no stream.
/// A running stream always has lastUpdate < finish.
struct StreamedToken {
    address token;
    uint40 lastUpdate;
    uint40 finish;
}

/// @dev A contract's whole reward-stream state: up to RewardStream.MAX_TOKENS tokens in the order
/// they were registered, each with its stream's timing and rate (wei per second times
/// RewardStream.RATE_PRECISION). The number of tokens registered is kept by the contract, packed
/// with its own hot state, and passed in where needed.
struct TokenStreams {
    StreamedToken[8] tokens;
    uint256[8] rates;
    /// @dev token => index + 1 (0: not registered).
    mapping(address token => uint256) indexPlusOne;
}

/// @title RewardStream
/// @notice The token registry and release schedule shared by the StabilityPool and SumStaking.
/// @dev A stream releases a fixed rate per second from `lastUpdate` until `finish`, but only while
/// the contract can take it (the pool or the stakes are large enough). While it cannot, the stream
/// is PAUSED: nothing is released and `finish` moves later by the time held, so whoever is present
/// when it resumes earns it second by second. There is no step at which held rewards are released
/// as a lump.
///
/// Released amounts are kept scaled by RATE_PRECISION and credited to the running sums in that
/// precision, so a release is never rounded to whole wei. The rate rounds down at each
/// notification, so a stream releases at most what was notified for it, second by second: in no
/// interval does it release more than the ideal stream (amount / duration per second) would.
/// What the floor keeps back (below duration / RATE_PRECISION wei per notification, i.e. below
/// 1e-9 wei) stays in the contract and joins no one's claim.
library RewardStream {
    /// @notice Rates are wei per second times RATE_PRECISION.
    uint256 internal constant RATE_PRECISION = 1e18;
    /// @notice The most tokens a contract can register (the length of TokenStreams' arrays).
    uint256 internal constant MAX_TOKENS = 8;
    /// @notice The longest stream a notification may ask for.
    uint256 internal constant MAX_DURATION = 10 * 365 days;

    // ------------------------------------------------------------ the registry

    /// @dev Registers `token` at index `count` (the number registered so far, < MAX_TOKENS; the
    /// caller checks the token and the count, and stores count + 1).
    function register(TokenStreams storage self, address token, uint256 count) internal {
        self.tokens[count].token = token;
        self.indexPlusOne[token] = count + 1;
    }

    /// @dev A staking contract's registration of reward token `token` as number `count` (the number
    /// registered so far), its own token being `stakingToken`: reverts with ZeroAddress,
    /// InvalidRewardToken (the staking token, or already registered) or TooManyRewardTokens, logs
    /// RewardTokenRegistered, and returns the new count for the contract to store.
    function registerRewardToken(TokenStreams storage self, address token, address stakingToken, uint256 count)
        internal
        returns (uint256)
    {
        if (token == address(0)) revert IRewardStreams.ZeroAddress();
        if (token == stakingToken || self.indexPlusOne[token] != 0) revert IRewardTokens.InvalidRewardToken(token);
        if (count == MAX_TOKENS) revert IRewardTokens.TooManyRewardTokens(MAX_TOKENS);
        register(self, token, count);
        emit IRewardTokens.RewardTokenRegistered(token, count);
        return count + 1;
    }

    /// @dev The index of `token`; reverts with UnknownToken when it is not registered.
    function indexOf(TokenStreams storage self, address token) internal view returns (uint256) {
        uint256 indexPlusOne = self.indexPlusOne[token];
        if (indexPlusOne == 0) revert IRewardStreams.UnknownToken(token);
        unchecked {
            return indexPlusOne - 1;
        }
    }

    /// @dev The first `count` tokens, in registration order.
    function tokenList(TokenStreams storage self, uint256 count) internal view returns (address[] memory tokens) {
        tokens = new address[](count);
        for (uint256 i; i < count; ++i) {
            tokens[i] = self.tokens[i].token;
        }
    }

    // ------------------------------------------------------------ streams in storage

    /// @dev Advances stream `index`, `st` as stored and not idle (the caller skips idle streams,
    /// the common case, without a call), to now and returns what it releases, scaled (see
    /// `advance`). Without `canRelease` the stream pauses.
    function accrue(TokenStreams storage self, uint256 index, StreamedToken memory st, bool canRelease)
        internal
        returns (uint256)
    {
        (StreamedToken memory next, uint256 releasedScaled) =
            advance(st, canRelease ? self.rates[index] : 0, canRelease);
        self.tokens[index] = next;
        return releasedScaled;
    }

    /// @dev Checks a notification of `amount` of `token` over `duration` seconds by a caller that
    /// is (`authorised`) or is not a reward distributor, and returns the token's index. Reverts
    /// with NotRewardDistributor, ZeroAmount, DurationTooLong or UnknownToken.
    function checkNotify(TokenStreams storage self, bool authorised, address token, uint256 amount, uint256 duration)
        internal
        view
        returns (uint256)
    {
        if (!authorised) revert IRewardStreams.NotRewardDistributor(msg.sender);
        if (amount == 0) revert IRewardStreams.ZeroAmount();
        if (duration > MAX_DURATION) revert IRewardStreams.DurationTooLong(duration, MAX_DURATION);
        return indexOf(self, token);
    }

    /// @dev Stream `index`, already advanced to now, takes `amount` more over `duration` (> 0)
    /// seconds, unless its unreleased amount would then exceed `maxUnreleased`: `room` is what it
    /// can take (maxUnreleased minus what it holds, rounded down); with amount > room nothing is
    /// written (the caller reverts with its named error). Returns the stream's rate and finish
    /// after the call.
    function notify(TokenStreams storage self, uint256 index, uint256 amount, uint256 duration, uint256 maxUnreleased)
        internal
        returns (uint256 room, uint256 rate, uint256 finish)
    {
        StreamedToken memory st = self.tokens[index];
        rate = self.rates[index];
        finish = st.finish;
        unchecked {
            // A stream never holds more than maxUnreleased (every notification checks its room).
            room = maxUnreleased - unreleasedScaled(st, rate) / RATE_PRECISION;
        }
        if (duration == 0 || amount > room) return (room, rate, finish);
        (st, rate) = renew(st, rate, amount, duration);
        self.tokens[index] = st;
        self.rates[index] = rate;
        finish = st.finish;
    }

    /// @dev What stream `index` would release now if the contract can take it, scaled (views).
    function pending(TokenStreams storage self, uint256 index) internal view returns (uint256) {
        return pendingScaled(self.tokens[index], self.rates[index]);
    }

    /// @dev Stream `index` as stored: unreleased amount as of `lastUpdate` (whole wei, rounded
    /// down), rate (scaled), last update and finish (timestamps).
    function info(TokenStreams storage self, uint256 index)
        internal
        view
        returns (uint256 unreleased, uint256 rate, uint256 lastUpdate, uint256 finish)
    {
        StreamedToken memory st = self.tokens[index];
        rate = self.rates[index];
        return (unreleasedScaled(st, rate) / RATE_PRECISION, rate, st.lastUpdate, st.finish);
    }

    // ------------------------------------------------------------ payouts

    /// @dev Pays `to` each nonzero `amounts[i]` of token i through ExactTransfers.tryPay, and keeps
    /// what a token will not pay in `deferred[to][token]` instead. Each payout is logged in the
    /// contract's own words: the event with topic `paidTopic` when paid, `deferredTopic` when
    /// kept, both declared as `Event(address indexed account, address indexed token, uint256
    /// amount)` (the caller passes `Event.selector`).
    function payAll(
        TokenStreams storage self,
        mapping(address account => mapping(address token => uint256)) storage deferred,
        address to,
        uint256[] memory amounts,
        bytes32 paidTopic,
        bytes32 deferredTopic
    ) internal {
        for (uint256 i; i < amounts.length; ++i) {
            uint256 amount = amounts[i];
            if (amount == 0) continue;
            address token = self.tokens[i].token;
            bool paid = ExactTransfers.tryPay(token, to, amount);
            if (!paid) deferred[to][token] += amount;
            bytes32 topic = paid ? paidTopic : deferredTopic;
            assembly ("memory-safe") {
                mstore(0x00, amount) // scratch space: the event's one unindexed word
                log3(0x00, 0x20, topic, to, token)
            }
        }
    }

    /// @dev Pays what the caller has deferred in `token` to `recipient`, strictly
    /// (ExactTransfers.payChecked: reverts, changing nothing, if the token fails or the contract
    /// holds too little), clearing it and logging the event with topic `claimedTopic`, declared as
    /// `Event(address indexed account, address indexed token, address recipient, uint256 amount)`
    /// (the caller passes `Event.selector`). Reverts with ZeroAddress or NothingDeferred.
    function payDeferred(
        mapping(address account => mapping(address token => uint256)) storage deferred,
        address token,
        address recipient,
        bytes32 claimedTopic
    ) internal {
        if (recipient == address(0)) revert IRewardStreams.ZeroAddress();
        uint256 amount = deferred[msg.sender][token];
        if (amount == 0) revert IRewardStreams.NothingDeferred(msg.sender, token);
        delete deferred[msg.sender][token];
        assembly ("memory-safe") {
            let data := mload(0x40) // two unindexed words, in free memory (not kept)
            mstore(data, recipient)
            mstore(add(data, 0x20), amount)
            log3(data, 0x40, claimedTopic, caller(), token)
        }
        ExactTransfers.payChecked(token, recipient, amount);
    }

    // ------------------------------------------------------------ one stream, in memory

    /// @dev Whether advancing now would do nothing: no stream, or already advanced this second.
    function idle(StreamedToken memory st) internal view returns (bool) {
        return st.finish == 0 || st.lastUpdate == block.timestamp;
    }

    /// @dev The stream (not idle) advanced to now: with `canRelease`, what it releases since
    /// `lastUpdate` (scaled: rate * seconds, no rounding) and `finish` cleared once reached;
    /// without, nothing released and the schedule paused (`finish` moved later by the seconds
    /// held). Unchecked: lastUpdate <= now and lastUpdate < finish, and rate * seconds <= 2e54 *
    /// 2^40 (a rate is at most 1e36 * 1e18 / 1 s plus what the stream held): no overflow.
    function advance(StreamedToken memory st, uint256 rate, bool canRelease)
        internal
        view
        returns (StreamedToken memory next, uint256 releasedScaled)
    {
        unchecked {
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
    }

    /// @dev What `advance` would release now with the contract able to take it (views).
    function pendingScaled(StreamedToken memory st, uint256 rate) internal view returns (uint256) {
        if (st.finish == 0) return 0;
        uint256 end = block.timestamp < st.finish ? block.timestamp : st.finish;
        unchecked {
            return rate * (end - st.lastUpdate); // as in advance
        }
    }

    /// @dev Not yet released, scaled, as of `lastUpdate`: rate * (finish - lastUpdate).
    /// Unchecked as in advance.
    function unreleasedScaled(StreamedToken memory st, uint256 rate) internal pure returns (uint256) {
        unchecked {
            return st.finish == 0 ? 0 : rate * (st.finish - st.lastUpdate);
        }
    }

    /// @dev A new notification on a stream already advanced to now: what it has not released and
    /// `amount` more are released evenly over `duration` (> 0) seconds from now. The new rate
    /// rounds down, so the stream never releases more than it holds. Unchecked: the caller
    /// keeps the unreleased amount plus `amount` within a cap of 1e36 wei, so the scaled sum is
    /// below 1e54, and `duration` is at most ten years.
    function renew(StreamedToken memory st, uint256 rate, uint256 amount, uint256 duration)
        internal
        view
        returns (StreamedToken memory next, uint256 newRate)
    {
        unchecked {
            newRate = (unreleasedScaled(st, rate) + amount * RATE_PRECISION) / duration;
            next = StreamedToken(st.token, uint40(block.timestamp), uint40(block.timestamp + duration));
        }
    }
}
