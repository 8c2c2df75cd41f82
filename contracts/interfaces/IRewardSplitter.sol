// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// @title IRewardSplitter
/// @notice Split tables of reward sources, and a distribution that pays each final destination of a
/// source's whole flow in one transfer, computed in closed form (see RewardSplitter's header).
/// @dev Shares are in basis points (SHARE_SCALE = 10_000 = 100%); coverage in 1e18 fixed point
/// (COVERAGE_SCALE). Not declared here, but exposed by the contract: ownership from OpenZeppelin's
/// Ownable2Step (`owner`, `pendingOwner`, `transferOwnership`, `acceptOwnership`,
/// `renounceOwnership`, their events and `OwnableUnauthorizedAccount`, `OwnableInvalidOwner`),
/// `ReentrancyGuardReentrantCall`, `SafeERC20FailedOperation`, and the transfer errors of
/// ExactTransfers.sol (`TransferShortfall`, `PoolShortfall`).
interface IRewardSplitter {
    // ---------------------------------------------------------------- types

    /// @notice What a destination does with what reaches it.
    /// @dev Keep: an address that keeps it. Stake: an IStakingDestination that takes its coverage
    /// of it; the rest returns to the source whose table names it. Forward: a registered source
    /// that splits it on by its own table.
    enum Kind {
        Keep,
        Stake,
        Forward
    }

    /// @notice One line of a split table (one storage slot).
    /// @param account The destination.
    /// @param share Its share of what reaches the table, in basis points (10_000 = 100%).
    /// @param kind Keep, Stake or Forward.
    struct Destination {
        address account;
        uint16 share;
        Kind kind;
    }

    // ---------------------------------------------------------------- errors

    /// @notice Thrown when `source` cannot be a source (the zero address or the splitter itself).
    /// @param source The source offered.
    error InvalidSource(address source);

    /// @notice Thrown when a split table has no destinations.
    /// @param source The source whose table is empty.
    error NoDestinations(address source);

    /// @notice Thrown when a destination is the zero address or the splitter itself.
    /// @param source The source whose table holds it.
    /// @param index Its position in the table.
    /// @param account The destination offered.
    error InvalidDestination(address source, uint256 index, address account);

    /// @notice Thrown when a destination's share is zero.
    /// @param source The source whose table holds it.
    /// @param index Its position in the table.
    error ZeroShare(address source, uint256 index);

    /// @notice Thrown when a table's shares do not sum to SHARE_SCALE (100%).
    /// @param source The source whose table it is.
    /// @param total The sum of its shares, in basis points.
    error SharesDoNotSumToOne(address source, uint256 total);

    /// @notice Thrown when `source` has no split table (distributing from it, or forwarding to it).
    /// @param source The address that is not a registered source.
    error UnknownSource(address source);

    /// @notice Thrown when registering more than MAX_SOURCES sources.
    /// @param maxSources MAX_SOURCES.
    error TooManySources(uint256 maxSources);

    /// @notice Thrown when `forwarder`'s table forwards to `source`, which is already on the path
    /// being walked: a forward loop, which would never end.
    /// @param source The source forwarded to again.
    /// @param forwarder The source whose table closes the loop.
    error CycleDetected(address source, address forwarder);

    /// @notice Thrown when a path of `source`'s flow would pass through more than `maxDepth`
    /// tables (its own and those it forwards to).
    /// @param source The source whose flow it is.
    /// @param maxDepth MAX_DEPTH.
    error FlowTooDeep(address source, uint256 maxDepth);

    /// @notice Thrown when `source`'s flow (its table and every table it forwards to, counted once
    /// per path) would have more than `maxDestinations` lines.
    /// @param source The source whose flow it is.
    /// @param maxDestinations MAX_DESTINATIONS.
    error TooManyDestinations(address source, uint256 maxDestinations);

    /// @notice Thrown when distributing nothing.
    /// @param source The source.
    /// @param token The token.
    error ZeroAmount(address source, address token);

    /// @notice Thrown when `token` has no code (it cannot be an ERC20).
    /// @param token The token offered.
    error InvalidToken(address token);

    /// @notice Thrown when a staking destination reports a coverage above COVERAGE_SCALE (100%).
    /// @param stake The staking destination.
    /// @param coverage What it reported, in 1e18 fixed point.
    error InvalidCoverage(address stake, uint256 coverage);

    /// @notice Thrown when a staking destination's `distribute` did not pull exactly its amount.
    /// @param stake The staking destination.
    /// @param token The token.
    /// @param expectedBalance The splitter's balance had it pulled exactly its amount, in wei.
    /// @param balance The splitter's balance after the call, in wei.
    error StakePullMismatch(address stake, address token, uint256 expectedBalance, uint256 balance);

    // ---------------------------------------------------------------- events

    /// @notice Emitted when a source's split table is set (registered or replaced).
    /// @param source The source.
    /// @param destinations Its table.
    event SplitTableSet(address indexed source, Destination[] destinations);

    /// @notice Emitted once per distribution, before its DestinationPaid events.
    /// @param source The source distributed from.
    /// @param token The token.
    /// @param payer Who paid (the caller).
    /// @param amount The amount distributed, in wei.
    event Distributed(address indexed source, address indexed token, address indexed payer, uint256 amount);

    /// @notice Emitted once per final destination of a distribution with a nonzero amount; their
    /// amounts sum to the distribution's amount.
    /// @dev The source's own line (its Keep shares, the uncovered parts of its staking
    /// destinations and the rounding remainder) is paid to it, or, when the source is the payer,
    /// never pulled from it.
    /// @param source The source distributed from.
    /// @param token The token.
    /// @param account The final destination.
    /// @param staked True for a staking destination (paid through its `distribute`).
    /// @param amount What it ends with, in wei.
    event DestinationPaid(
        address indexed source, address indexed token, address indexed account, bool staked, uint256 amount
    );

    // ---------------------------------------------------------------- constants

    /// @notice 100% in share units: shares are in basis points.
    function SHARE_SCALE() external view returns (uint256);

    /// @notice 100% in coverage units: coverage is in 1e18 fixed point.
    function COVERAGE_SCALE() external view returns (uint256);

    /// @notice Most tables along one path of a flow (the source's own included).
    function MAX_DEPTH() external view returns (uint256);

    /// @notice Most table lines in one flow, counted once per path.
    function MAX_DESTINATIONS() external view returns (uint256);

    /// @notice Most registered sources.
    function MAX_SOURCES() external view returns (uint256);

    /// @notice The common denominator of flow weights: SHARE_SCALE ** MAX_DEPTH * COVERAGE_SCALE.
    function WEIGHT_SCALE() external view returns (uint256);

    // ---------------------------------------------------------------- operations

    /// @notice Registers `source` or replaces its table. Owner only.
    /// @dev Forward targets must be registered sources. Every registered source's flow is walked
    /// again afterwards, so no replacement can make another source's flow loop, grow too deep or
    /// too large.
    function setSplitTable(address source, Destination[] calldata destinations) external;

    /// @notice Pulls `amount` of `token` from the caller and pays every final destination of
    /// `source`'s flow its amount in one transfer (a staking destination: one `distribute` call).
    /// @dev When the caller is `source`, its own amount is never pulled. Anyone may call it, paying
    /// with their own tokens. A staking destination is handed its amount through its `distribute`
    /// under a standing maximum allowance, and must pull exactly that amount.
    /// @return accounts The final destinations, the source's own line first.
    /// @return staked For each, whether it is a staking destination.
    /// @return amounts What each ended with, in wei (summing to `amount`).
    function distribute(address source, address token, uint256 amount)
        external
        returns (address[] memory accounts, bool[] memory staked, uint256[] memory amounts);

    // ---------------------------------------------------------------- views

    /// @notice The split table of `source` (empty if it is not registered).
    function getSplitTable(address source) external view returns (Destination[] memory);

    /// @notice Every registered source, in order of registration.
    function getSources() external view returns (address[] memory);

    /// @notice What `distribute(source, token, amount)` would pay now, line for line (the coverage
    /// of staking destinations is read now).
    function previewDistribution(address source, uint256 amount)
        external
        view
        returns (address[] memory accounts, bool[] memory staked, uint256[] memory amounts);
}
