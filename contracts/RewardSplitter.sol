// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ExactTransfers} from "./libraries/ExactTransfers.sol";
import {IRewardSplitter} from "./interfaces/IRewardSplitter.sol";
import {IStakingDestination} from "./interfaces/IStakingDestination.sol";

/// @title RewardSplitter
/// @notice Pre-computed distribution of a reward source's gains ("Computing Pivot Distributions"):
/// the whole flow through every split table is worked out in closed form, and each final
/// destination is paid once, instead of the gains travelling hop by hop.
/// @dev
/// THE FLOW
/// ---------------------------------------------------------------------------------------------
/// The owner gives each source a split table: lines (account, share, kind), shares in basis
/// points summing to SHARE_SCALE = 10_000 (100%). What reaches a table is split by its shares:
///   Keep     the account keeps its share;
///   Stake    the account is an IStakingDestination with coverage c = ΣAMP / Σstaked (read at
///            distribution time, 1e18 fixed point): it takes c of its share, and the uncovered
///            rest (1 - c) returns to the source whose table names it, which keeps it (it is not
///            split again: "returns to the source" in the article is what stays with it);
///   Forward  the account is another registered source, which splits its share on by its own
///            table (the treasury forwarding 10% to its stakers).
/// The forwards form a tree from the source; a forward loop would never end and is refused at
/// registration (CycleDetected).
///
/// THE CLOSED FORM
/// ---------------------------------------------------------------------------------------------
/// Give each line the weight w = product of the shares along its path from the source (the line's
/// own share last). A Keep line pays w to its account; a Stake line pays w * c to the staking
/// destination and w * (1 - c) to its table's source. Summing over lines, each final destination
/// (account, staked) has a weight W, and the weights of all final destinations sum to exactly 1
/// (each table's shares sum to 1, and c + (1 - c) = 1). A distribution of `amount` pays
///     each final destination but the source:  floor(amount * W)          (rounded down)
///     the source:                             amount - the sum of those  (the remainder)
/// so value is conserved to the wei, every destination but the source ends within 1 wei below its
/// exact amount, and the source ends at or above its exact amount, by less than 1 wei per other
/// final destination. Rounding down favours the source: no destination is ever paid more than its
/// exact share, so the payouts never exceed the amount pulled (the splitter keeps nothing and can
/// never be short).
///
/// EXACT WEIGHTS. A weight is kept as an integer over WEIGHT_SCALE = SHARE_SCALE ** MAX_DEPTH *
/// COVERAGE_SCALE = 1e34. The source's table enters with WEIGHT_SCALE (= 1); a table at depth d
/// (d tables before it) enters with a multiple of SHARE_SCALE ** (MAX_DEPTH - d) * COVERAGE_SCALE,
/// so `weight * share / SHARE_SCALE` divides exactly while d < MAX_DEPTH, and every line's weight
/// stays a multiple of COVERAGE_SCALE, so `weight * c / COVERAGE_SCALE` is exact as well. The
/// only rounding is the one mulDiv per final destination above. Bounds: weight <= 1e34,
/// share <= 1e4 and c <= 1e18, so no product exceeds 1e52; mulDiv takes any uint256 amount.
///
/// WORKED EXAMPLE (the article's Echo pool close, 2,733 UNDEAD). Echo table: Echo Keep 40%,
/// treasury Forward 40%, Echo stakers Stake 20% (coverage 64.43%). Treasury table: treasury
/// Keep 90%, treasury stakers Stake 10% (coverage 64.09%). Weights:
///     Echo pool         0.40 + 0.20 * 0.3557         = 0.47114   -> 1,287.62562 UNDEAD
///     treasury          0.40 * 0.90 + 0.04 * 0.3591  = 0.374364  -> 1,023.136812 UNDEAD
///     Echo stakers      0.20 * 0.6443                = 0.12886   ->   352.17438 UNDEAD
///     treasury stakers  0.40 * 0.10 * 0.6409         = 0.025636  ->    70.063188 UNDEAD
/// (sum 1: 2,733 UNDEAD, exact to the wei here since every weight * 2733e18 is an integer).
/// Called by the Echo pool, this pulls 1,445.374380 UNDEAD and makes one transfer (treasury) and
/// two staking `distribute` calls; the Echo pool's 1,287.62562 never leaves it. (The article's
/// 1,132 for the treasury adds the returned 39 to the full 40%, missing the 10% it forwarded;
/// hence also its 313 for the stakers instead of 422.237568. Its "3 distributions" count one
/// stakers' pool; the two stakers' tables have different coverage, so here they are two staking
/// destinations.)
///
/// PAYMENTS. `distribute` pulls from the caller, with ExactTransfers.pullExact (a fee-on-transfer
/// token is refused), what leaves the source: all of `amount`, or, when the caller is the source,
/// `amount` less the source's own line, which then never moves. It pays each other final
/// destination once with payChecked, or, for a staking destination, calls its `distribute`, which
/// must pull exactly its amount (StakePullMismatch). The allowance of a staking destination is a
/// standing maximum, so no approval is written per payment; it can reach only what the splitter
/// holds, which between calls is nothing (tokens sent to the splitter directly are not guarded).
/// Anyone may distribute for a source, paying with their own tokens. A staking destination is
/// trusted as far as the owner registers it: if its `coverage` or `distribute` reverts, so do the
/// distributions whose flows reach it, until its line is replaced.
///
/// BOUNDS. At most MAX_SOURCES = 16 sources; a flow passes through at most MAX_DEPTH = 4 tables
/// along any path and has at most MAX_DESTINATIONS = 16 lines in all (counted once per path), so
/// a distribution makes at most 16 coverage reads and 16 payments, and registration walks at most
/// 16 flows of 16 lines. Every registration walks the new source's flow first (any new loop passes
/// through it, so CycleDetected names it), then every other registered source's flow, since a
/// replaced table changes the flows that forward to it. A loop longer than MAX_DEPTH tables is
/// refused as FlowTooDeep. Sources cannot be removed, only given a new table.
contract RewardSplitter is IRewardSplitter, Ownable2Step, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @inheritdoc IRewardSplitter
    uint256 public constant override SHARE_SCALE = 10_000;
    /// @inheritdoc IRewardSplitter
    uint256 public constant override COVERAGE_SCALE = 1e18;
    /// @inheritdoc IRewardSplitter
    uint256 public constant override MAX_DEPTH = 4;
    /// @inheritdoc IRewardSplitter
    uint256 public constant override MAX_DESTINATIONS = 16;
    /// @inheritdoc IRewardSplitter
    uint256 public constant override MAX_SOURCES = 16;
    /// @inheritdoc IRewardSplitter
    uint256 public constant override WEIGHT_SCALE = SHARE_SCALE ** MAX_DEPTH * COVERAGE_SCALE;

    /// @dev A Keep or Stake line reached by a walk: its account, its weight over WEIGHT_SCALE, and
    /// the source whose table holds it (where a Stake line's uncovered part returns).
    struct Leaf {
        address account;
        bool staked;
        address table;
        uint256 weight;
    }

    /// @dev The state of one flow's walk: its source, the tables on the current path, the leaves
    /// found and the lines counted so far.
    struct Walk {
        address source;
        address[MAX_DEPTH] path;
        Leaf[MAX_DESTINATIONS] leaves;
        uint256 leafCount;
        uint256 lineCount;
    }

    mapping(address source => Destination[]) private _tables;
    address[] private _sources;

    constructor(address initialOwner) Ownable(initialOwner) {}

    // ---------------------------------------------------------------- operations

    /// @inheritdoc IRewardSplitter
    function setSplitTable(address source, Destination[] calldata destinations) external override onlyOwner {
        if (source == address(0) || source == address(this)) revert InvalidSource(source);
        uint256 count = destinations.length;
        if (count == 0) revert NoDestinations(source);
        Destination[] storage table = _tables[source];
        if (table.length == 0) {
            if (_sources.length == MAX_SOURCES) revert TooManySources(MAX_SOURCES);
            _sources.push(source);
        }
        delete _tables[source];
        uint256 total = 0;
        for (uint256 i; i < count; ++i) {
            Destination calldata line = destinations[i];
            if (line.account == address(0) || line.account == address(this)) {
                revert InvalidDestination(source, i, line.account);
            }
            if (line.share == 0) revert ZeroShare(source, i);
            total += line.share;
            table.push(line);
        }
        if (total != SHARE_SCALE) revert SharesDoNotSumToOne(source, total);
        _walkFlow(source);
        uint256 sourceCount = _sources.length;
        for (uint256 i; i < sourceCount; ++i) {
            if (_sources[i] != source) _walkFlow(_sources[i]);
        }
        emit SplitTableSet(source, destinations);
    }

    /// @inheritdoc IRewardSplitter
    function distribute(address source, address token, uint256 amount)
        external
        override
        nonReentrant
        returns (address[] memory accounts, bool[] memory staked, uint256[] memory amounts)
    {
        if (amount == 0) revert ZeroAmount(source, token);
        if (token.code.length == 0) revert InvalidToken(token);
        (accounts, staked, amounts) = _plan(source, amount);
        bool payerIsSource = msg.sender == source;
        uint256 pulled = payerIsSource ? amount - amounts[0] : amount;
        if (pulled != 0) ExactTransfers.pullExact(token, pulled);
        emit Distributed(source, token, msg.sender, amount);
        uint256 count = accounts.length;
        for (uint256 i; i < count; ++i) {
            uint256 paid = amounts[i];
            if (paid == 0) continue;
            if (staked[i]) _stake(accounts[i], token, paid);
            else if (i != 0 || !payerIsSource) ExactTransfers.payChecked(token, accounts[i], paid);
            emit DestinationPaid(source, token, accounts[i], staked[i], paid);
        }
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IRewardSplitter
    function getSplitTable(address source) external view override returns (Destination[] memory) {
        return _tables[source];
    }

    /// @inheritdoc IRewardSplitter
    function getSources() external view override returns (address[] memory) {
        return _sources;
    }

    /// @inheritdoc IRewardSplitter
    function previewDistribution(address source, uint256 amount)
        external
        view
        override
        returns (address[] memory accounts, bool[] memory staked, uint256[] memory amounts)
    {
        return _plan(source, amount);
    }

    // ---------------------------------------------------------------- internals

    /// @dev The final destinations of `source`'s flow and what each ends with out of `amount`
    /// (see THE CLOSED FORM): the source's own line first, then one line per other (account,
    /// staked) with a nonzero weight.
    function _plan(address source, uint256 amount)
        private
        view
        returns (address[] memory accounts, bool[] memory staked, uint256[] memory amounts)
    {
        Walk memory walk = _walkFlow(source);
        // Each leaf adds at most two final destinations (a Stake leaf: the staking destination and
        // its table's source), and the source's own line comes first.
        uint256 capacity = 2 * walk.leafCount + 1;
        accounts = new address[](capacity);
        staked = new bool[](capacity);
        uint256[] memory weights = new uint256[](capacity);
        accounts[0] = source;
        uint256 count = 1;
        for (uint256 i; i < walk.leafCount; ++i) {
            Leaf memory leaf = walk.leaves[i];
            if (!leaf.staked) {
                count = _addWeight(accounts, staked, weights, count, leaf.account, false, leaf.weight);
                continue;
            }
            uint256 coverage = IStakingDestination(leaf.account).coverage();
            if (coverage > COVERAGE_SCALE) revert InvalidCoverage(leaf.account, coverage);
            // Exact: a line's weight is a multiple of COVERAGE_SCALE (see EXACT WEIGHTS); at most
            // 1e34 * 1e18 before the division.
            uint256 covered = leaf.weight * coverage / COVERAGE_SCALE;
            count = _addWeight(accounts, staked, weights, count, leaf.account, true, covered);
            count = _addWeight(accounts, staked, weights, count, leaf.table, false, leaf.weight - covered);
        }
        // Trim the arrays to the `count` lines found (count <= capacity: only shortens them).
        assembly ("memory-safe") {
            mstore(accounts, count)
            mstore(staked, count)
            mstore(weights, count)
        }
        amounts = _amounts(amount, weights);
    }

    /// @dev What each line ends with out of `amount`, line i having weight `weights[i]` (the
    /// weights sum to WEIGHT_SCALE): every line but the first amount * weight rounded down, the
    /// first (the source's) the remainder.
    function _amounts(uint256 amount, uint256[] memory weights) internal pure returns (uint256[] memory amounts) {
        amounts = new uint256[](weights.length);
        uint256 paidOut;
        for (uint256 i = 1; i < weights.length; ++i) {
            // Rounds down: no destination gets more than its exact share; the remainder stays with
            // the source. Weights sum to WEIGHT_SCALE, so paidOut <= amount.
            amounts[i] = Math.mulDiv(amount, weights[i], WEIGHT_SCALE);
            paidOut += amounts[i];
        }
        amounts[0] = amount - paidOut;
    }

    /// @dev Adds `weight` to the line of (`account`, `isStaked`), appending it if new; a zero
    /// weight adds nothing. Returns the new line count.
    function _addWeight(
        address[] memory accounts,
        bool[] memory staked,
        uint256[] memory weights,
        uint256 count,
        address account,
        bool isStaked,
        uint256 weight
    ) private pure returns (uint256) {
        if (weight == 0) return count;
        for (uint256 i; i < count; ++i) {
            if (accounts[i] == account && staked[i] == isStaked) {
                weights[i] += weight;
                return count;
            }
        }
        accounts[count] = account;
        staked[count] = isStaked;
        weights[count] = weight;
        return count + 1;
    }

    /// @dev Walks `source`'s flow from its table with the whole weight, WEIGHT_SCALE.
    function _walkFlow(address source) private view returns (Walk memory walk) {
        walk.source = source;
        _walkTable(walk, source, 0, WEIGHT_SCALE);
    }

    /// @dev Visits `table` at `depth` (tables before it on the path) entered with `weight`: records
    /// its Keep and Stake lines as leaves and walks its forwards, refusing an unknown source, a
    /// loop, a path through more than MAX_DEPTH tables and a flow of more than MAX_DESTINATIONS
    /// lines.
    function _walkTable(Walk memory walk, address table, uint256 depth, uint256 weight) private view {
        Destination[] storage lines = _tables[table];
        uint256 count = lines.length;
        if (count == 0) revert UnknownSource(table);
        walk.path[depth] = table;
        for (uint256 i; i < count; ++i) {
            Destination memory line = lines[i];
            if (walk.lineCount == MAX_DESTINATIONS) revert TooManyDestinations(walk.source, MAX_DESTINATIONS);
            ++walk.lineCount;
            // Exact: `weight` is a multiple of SHARE_SCALE ** (MAX_DEPTH - depth), depth < MAX_DEPTH.
            uint256 lineWeight = weight * line.share / SHARE_SCALE;
            if (line.kind != Kind.Forward) {
                walk.leaves[walk.leafCount++] = Leaf(line.account, line.kind == Kind.Stake, table, lineWeight);
                continue;
            }
            for (uint256 j; j <= depth; ++j) {
                if (walk.path[j] == line.account) revert CycleDetected(line.account, table);
            }
            if (depth + 1 == MAX_DEPTH) revert FlowTooDeep(walk.source, MAX_DEPTH);
            _walkTable(walk, line.account, depth + 1, lineWeight);
        }
    }

    /// @dev Hands `amount` of `token` to the staking destination `stake` through its `distribute`,
    /// which must pull exactly `amount` (StakePullMismatch). The allowance is a standing maximum,
    /// set the first time (and again if a token has lowered it below `amount`): it saves an
    /// approval per payment, and the balance check holds the destination to its amount (between
    /// calls the splitter holds nothing). Slither's reentrancy-balance flags the check; it is meant:
    /// whatever the destination does during the call (distribute itself is nonReentrant), the
    /// splitter's balance can only end at `expectedBalance` if exactly `amount` left it on net.
    function _stake(address stake, address token, uint256 amount) private {
        if (IERC20(token).allowance(address(this), stake) < amount) {
            IERC20(token).forceApprove(stake, type(uint256).max);
        }
        uint256 expectedBalance = IERC20(token).balanceOf(address(this)) - amount;
        IStakingDestination(stake).distribute(token, amount);
        uint256 balance = IERC20(token).balanceOf(address(this));
        if (balance != expectedBalance) revert StakePullMismatch(stake, token, expectedBalance, balance);
    }
}
