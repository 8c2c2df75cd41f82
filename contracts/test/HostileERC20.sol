// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title HostileERC20
/// @notice Test-only ERC20 whose outgoing transfers can be made to fail in the ways real tokens
/// fail: a blocklist (USDC/USDT style: transfers to or from a listed address revert), a pause
/// (every transfer reverts), returning false instead of reverting, and burning all the gas it is
/// given (a broken upgrade or a griefing token). Minting and approvals always work.
contract HostileERC20 is ERC20 {
    enum Mode {
        Normal,
        RevertAll,
        ReturnFalse,
        BurnGas
    }

    Mode public mode;
    mapping(address account => bool) public blocked;

    error Blocked(address account);
    error Paused();

    constructor() ERC20("Hostile Token", "HOST") {}

    /// @notice Mints `amount` tokens to `to`. Anyone may call it.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Sets how transfers behave. Anyone may call it.
    function setMode(Mode mode_) external {
        mode = mode_;
    }

    /// @notice Adds `account` to (or removes it from) the blocklist. Anyone may call it.
    function setBlocked(address account, bool isBlocked) external {
        blocked[account] = isBlocked;
    }

    function transfer(address to, uint256 amount) public override returns (bool) {
        if (!_allowed(msg.sender, to)) return false;
        return super.transfer(to, amount);
    }

    function transferFrom(address from, address to, uint256 amount) public override returns (bool) {
        if (!_allowed(from, to)) return false;
        return super.transferFrom(from, to, amount);
    }

    /// @dev Reverts, loops until out of gas, or returns false, as the mode and blocklist say.
    function _allowed(address from, address to) private view returns (bool) {
        if (blocked[from]) revert Blocked(from);
        if (blocked[to]) revert Blocked(to);
        if (mode == Mode.RevertAll) revert Paused();
        if (mode == Mode.BurnGas) {
            uint256 spin;
            while (gasleft() > 0) spin++;
        }
        return mode != Mode.ReturnFalse;
    }
}
