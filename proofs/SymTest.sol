// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// @dev The few cheatcodes halmos implements that the proofs use (npm forge-std is unusable:
/// it imports ds-test, which it does not ship).
interface Vm {
    function assume(bool condition) external pure;
    function warp(uint256 timestamp) external;
}

/// @dev Base of the proof contracts: halmos checks every `check_*` function over all inputs.
abstract contract SymTest {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
}
