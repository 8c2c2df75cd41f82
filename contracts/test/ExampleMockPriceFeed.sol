// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

import {IExamplePriceFeed} from "../examples/IExamplePriceFeed.sol";

/// @title ExampleMockPriceFeed
/// @notice Test-only price feed for `ExampleLendingMarket`: the owner sets the price. Units as in
/// `IExamplePriceFeed`: debt-token wei per collateral wei, times 1e18. Any value is accepted,
/// 0 included, so tests can check that the market refuses a zero price.
contract ExampleMockPriceFeed is IExamplePriceFeed, Ownable {
    /// @inheritdoc IExamplePriceFeed
    uint256 public override price;

    event PriceSet(uint256 price);

    constructor(address owner_, uint256 price_) Ownable(owner_) {
        price = price_;
        emit PriceSet(price_);
    }

    /// @notice Sets the price. Only the owner.
    function setPrice(uint256 price_) external onlyOwner {
        price = price_;
        emit PriceSet(price_);
    }
}
