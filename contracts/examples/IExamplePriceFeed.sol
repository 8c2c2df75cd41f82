// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// @title IExamplePriceFeed
/// @notice The price `ExampleLendingMarket` values its collateral at.
interface IExamplePriceFeed {
    /// @notice Debt-token wei per collateral wei, times 1e18 (PRICE_PRECISION): `coll` wei of
    /// collateral are worth `coll * price() / 1e18` wei of debt token. With both tokens at 18
    /// decimals this is simply "debt tokens per collateral token" in 18 decimals (2000e18: one
    /// WETH is worth 2,000 eUSD); an 8-decimal collateral at 60,000 eUSD reads 60_000e18 * 1e10.
    function price() external view returns (uint256);
}
