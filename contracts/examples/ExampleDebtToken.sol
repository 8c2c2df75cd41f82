// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title ExampleDebtToken
/// @notice The stablecoin of `ExampleLendingMarket`: 18 decimals, minted when a position borrows
/// and burnt when debt is repaid or liquidated. Only the owner (the market, after deployment)
/// mints and burns.
/// @dev Deploy it, deploy the pool and the market on it, then `transferOwnership(market)`: from
/// then on only the market can change the supply (OpenZeppelin `Ownable`; any other caller gets
/// `OwnableUnauthorizedAccount(caller)`). The owner may burn from any account without an
/// allowance: the market uses this to take back a closing borrower's debt, as Liquity's
/// TroveManager does with BOLD. Whoever owns this token owns the stablecoin: never keep an EOA as
/// owner in production.
contract ExampleDebtToken is ERC20, Ownable {
    constructor(address owner_) ERC20("Example USD", "eUSD") Ownable(owner_) {}

    /// @notice Mints `amount` to `to`. Only the owner.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }

    /// @notice Burns `amount` from `from`, without an allowance. Only the owner.
    function burn(address from, uint256 amount) external onlyOwner {
        _burn(from, amount);
    }
}
