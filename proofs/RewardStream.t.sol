// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {SymTest} from "./SymTest.sol";
import {RewardStream, StreamedToken} from "../contracts/libraries/RewardStream.sol";

/// @dev The stream's release lemmas, over RewardStream.advance and unreleasedScaled.
contract RewardStreamProofs is SymTest {
    /// A release never exceeds what remains, and releases everything at the stream's end.
    /// @custom:halmos --solver-timeout-assertion 20000
    function check_releaseWithinUnreleased(uint40 lastUpdate, uint40 finish, uint40 now_, uint128 rate) public {
        vm.assume(lastUpdate < finish && lastUpdate <= now_);
        vm.warp(now_);
        StreamedToken memory st = StreamedToken(address(1), lastUpdate, finish);
        uint256 unreleased = RewardStream.unreleasedScaled(st, rate);
        (StreamedToken memory next, uint256 released) = RewardStream.advance(st, rate, true);
        assert(released <= unreleased);
        if (now_ >= finish) assert(released == unreleased && next.finish == 0);
    }
}
