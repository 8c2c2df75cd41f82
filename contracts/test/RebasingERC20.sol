// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// @title RebasingERC20
/// @notice Test-only rebasing token: accounts hold shares, and a balance is
///         `shares * multiplier / 1e18`. `rebase` rescales every balance at once.
/// @dev Amounts convert to shares rounding down (like stETH), so a transfer can deliver a few
///      wei less than `amount` once the multiplier is not 1e18. Allowances are in token units.
contract RebasingERC20 {
    uint256 private constant ONE = 1e18;

    string public constant name = "Rebasing Token";
    string public constant symbol = "REB";
    uint8 public immutable decimals;
    /// @notice Token units per share, scaled by 1e18.
    uint256 public multiplier = ONE;
    uint256 public totalShares;
    mapping(address => uint256) public sharesOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event Rebase(uint256 multiplier);

    constructor(uint8 decimals_) {
        decimals = decimals_;
    }

    function balanceOf(address account) public view returns (uint256) {
        return (sharesOf[account] * multiplier) / ONE;
    }

    function totalSupply() external view returns (uint256) {
        return (totalShares * multiplier) / ONE;
    }

    /// @notice Multiplies every balance by `numerator / denominator`. Anyone may call it.
    function rebase(uint256 numerator, uint256 denominator) external {
        uint256 newMultiplier = (multiplier * numerator) / denominator;
        require(newMultiplier != 0, "zero multiplier");
        multiplier = newMultiplier;
        emit Rebase(newMultiplier);
    }

    /// @notice Mints `amount` tokens (converted to shares) to `to`. Anyone may call it.
    function mint(address to, uint256 amount) external {
        uint256 shares = (amount * ONE) / multiplier;
        totalShares += shares;
        sharesOf[to] += shares;
        emit Transfer(address(0), to, amount);
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        require(allowed >= amount, "insufficient allowance");
        if (allowed != type(uint256).max) allowance[from][msg.sender] = allowed - amount;
        _transfer(from, to, amount);
        return true;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function _transfer(address from, address to, uint256 amount) private {
        require(to != address(0), "transfer to zero address");
        require(balanceOf(from) >= amount, "insufficient balance");
        uint256 shares = (amount * ONE) / multiplier;
        sharesOf[from] -= shares;
        sharesOf[to] += shares;
        emit Transfer(from, to, amount);
    }
}
