// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {SymTest} from "./SymTest.sol";
import {ProductSum} from "../contracts/libraries/ProductSum.sol";

/// @dev The arithmetic lemmas of StabilityPool.sol's header, over the library's own functions.
contract ProductSumProofs is SymTest {
    uint256 private constant MAX_TOTAL_DEPOSITS = 1e30; // StabilityPool.MAX_TOTAL_DEPOSITS

    /// @dev An offset's inputs as the pool can reach them: P in [P_MIN, P_PRECISION],
    /// 0 < Q < D <= the deposit cap.
    function assumeOffset(uint256 P, uint256 D, uint256 Q) private pure {
        vm.assume(P >= ProductSum.P_MIN && P <= ProductSum.P_PRECISION);
        vm.assume(D <= MAX_TOTAL_DEPOSITS && Q > 0 && Q < D);
    }

    /// One P step without rescale stays in range and never increases P.
    /// @custom:halmos --solver-timeout-assertion 20000
    function check_lossStepNeverIncreasesP(uint256 P, uint256 D, uint256 Q) public pure {
        assumeOffset(P, D, Q);
        (, uint256 newP) = ProductSum.lossStepDown(P, D, Q);
        assert(newP <= P && newP <= ProductSum.P_PRECISION);
    }

    /// The lemma behind "at most five rescales": P * (D - Q) * 1e3 >= D, so
    /// floor(P * (D - Q) * 1e6^5 / D) >= 1e30 * D / (1e3 * D) = P_MIN and the loop in applyLoss
    /// runs at most five times. Stated over the exact product R = D - Q >= 1 (halmos does not
    /// finish through lossStepDown's unchecked product).
    /// @custom:halmos --solver-timeout-assertion 20000
    function check_remainingBoundsRescales(uint112 P, uint104 D, uint104 R) public pure {
        vm.assume(P >= ProductSum.P_MIN && D <= MAX_TOTAL_DEPOSITS && R >= 1 && R < D);
        assert(uint256(P) * R * 1e3 >= D);
    }

    /// FALSE on purpose (must give a counterexample): "at most four rescales", i.e.
    /// P * (D - Q) * 1e6^4 >= P_MIN * D.
    /// @custom:halmos --solver-timeout-assertion 20000
    function check_false_fourRescalesSuffice(uint256 P, uint256 D, uint256 Q) public pure {
        assumeOffset(P, D, Q);
        (uint256 remaining,) = ProductSum.lossStepDown(P, D, Q);
        assert(remaining >= D * 1e3);
    }

    /// A credit's sum increment times any deposit share never pays more than the credit:
    /// floor(d * floor(amount * P / D) / P) <= amount for d <= D. Stated over the plain floor
    /// that sumIncrementDown's mulDiv computes exactly (amount * P < 2^256 here): through
    /// sumIncrementDown itself (OpenZeppelin's 512-bit mulDiv) halmos timed out at 20 s; the
    /// fuzzers cover it.
    /// @custom:halmos --solver-timeout-assertion 20000
    function check_creditPaysAtMostAmount(uint256 amount, uint256 P, uint256 D, uint256 d) public pure {
        vm.assume(P >= ProductSum.P_MIN && P <= ProductSum.P_PRECISION);
        vm.assume(D > 0 && D <= MAX_TOTAL_DEPOSITS && d <= D && amount <= 1e36);
        uint256 increment = amount * P / D; // rounds down, as sumIncrementDown
        assert(d * increment / P <= amount); // rounds down, as gainDown
    }
}
