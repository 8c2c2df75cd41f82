// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title HookERC20
/// @notice Test-only ERC20 that simulates transfer hooks (ERC777-like): after a transfer it makes
///         one arbitrary call that anyone can arm with `setHook`, e.g. a re-entrant call into a pool.
contract HookERC20 is ERC20 {
    address public hookTarget;
    bytes public hookData;
    bool public lastHookSuccess;
    bytes public lastHookReturn;

    constructor() ERC20("Hook Token", "HOOK") {}

    /// @notice Mints `amount` tokens to `to`. Anyone may call it.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms a one-shot hook: the next transfer calls `target` with `data`. Anyone may call it.
    function setHook(address target, bytes calldata data) external {
        hookTarget = target;
        hookData = data;
    }

    /// @dev After a transfer between two nonzero addresses, disarms the hook, then runs it once and
    ///      records its outcome without bubbling a revert.
    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        address target = hookTarget;
        if (from == address(0) || to == address(0) || target == address(0)) return;
        bytes memory data = hookData;
        delete hookTarget;
        delete hookData;
        (lastHookSuccess, lastHookReturn) = target.call(data);
    }
}
