// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FeeOnTransferERC20
/// @notice Test-only ERC20 that burns `feeBps` basis points of every transfer, so the recipient
///         receives less than the amount sent. Mints and burns are fee-free.
contract FeeOnTransferERC20 is ERC20 {
    uint256 public immutable feeBps;
    uint8 private immutable _decimals;

    constructor(uint256 feeBps_, uint8 decimals_) ERC20("Fee On Transfer Token", "FOT") {
        require(feeBps_ <= 10_000, "fee above 100%");
        feeBps = feeBps_;
        _decimals = decimals_;
    }

    /// @inheritdoc ERC20
    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    /// @notice Mints `amount` tokens to `to`. Anyone may call it.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @dev On a transfer between two nonzero addresses, burns the fee out of the sent amount.
    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = (value * feeBps) / 10_000;
            if (fee != 0) super._update(from, address(0), fee);
            value -= fee;
        }
        super._update(from, to, value);
    }
}
