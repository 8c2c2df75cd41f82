// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IStabilityPool} from "../interfaces/IStabilityPool.sol";
import {RewardStream, TokenStreams} from "./RewardStream.sol";

/// @dev The pool's hot state in one slot. totalDeposits <= 1e30 < 2^104, P <= 1e33 < 2^112.
/// `activeTokens` has bit i set once gain token i has been a collateral or notified (a stream or
/// an instant credit); it is never cleared. A token whose bit is clear has S == 0 at every scale,
/// every snapshotS == 0 and no stream, so operations skip it without reading any of its slots.
struct Pool {
    uint104 totalDeposits;
    uint112 P;
    uint32 scale;
    uint8 activeTokens;
}

/// @dev A depositor's snapshot in one slot: initial value d_t, P_t and scale at the last change.
struct Deposit {
    uint104 value;
    uint112 P;
    uint32 scale;
}

/// @dev The whole Product-Sum state of a pool: P, scale and total deposits (in `pool`), the epoch,
/// the running sums per token and scale, and every depositor's snapshots.
struct ProductSumState {
    Pool pool;
    uint256 epoch;
    mapping(address token => mapping(uint256 scale => uint256)) S;
    mapping(address depositor => Deposit) deposits;
    mapping(address depositor => mapping(address token => uint256)) snapshotS;
}

/// @title ProductSum
/// @notice The Product-Sum bookkeeping of the StabilityPool: compounded deposits, gains, credits to
/// the running sums and the loss of an offset (rescales and epochs).
/// @dev The derivation, the bounds and the rounding proof are in StabilityPool.sol's header; every
/// function here names the direction it rounds (`Down`: never above the exact value).
library ProductSum {
    /// @notice P at the start of each epoch, and its upper bound.
    uint256 internal constant P_PRECISION = 1e33;
    /// @notice P is rescaled by SCALE_FACTOR whenever it would fall below P_MIN.
    uint256 internal constant P_MIN = 1e27;
    uint256 internal constant SCALE_FACTOR = 1e6;
    /// @notice Scales past its snapshot over which a deposit's gains are summed.
    uint256 internal constant MAX_SCALE_SPAN = 12;
    /// @notice The scale jump at a new epoch; larger than MAX_SCALE_SPAN so epochs never mix.
    uint256 internal constant EPOCH_SCALE_GAP = MAX_SCALE_SPAN + 1;

    // ------------------------------------------------------------ pure math

    /// @dev d_t * P / P_t / 1e6^k, rounded down; 0 past MAX_SCALE_SPAN scales (exactly 0 from 6).
    /// Unchecked: a snapshot's scale is never above the current one, d_t * P < 2^104 * 2^112 and
    /// 1e6^k <= 1e72 < 2^256, so nothing can overflow (and P_t >= P_MIN > 0).
    function compoundedDown(Deposit memory dep, Pool memory pool) internal pure returns (uint256) {
        if (dep.value == 0) return 0;
        unchecked {
            uint256 span = pool.scale - dep.scale;
            if (span > MAX_SCALE_SPAN) return 0;
            return uint256(dep.value) * pool.P / dep.P / SCALE_FACTOR ** span;
        }
    }

    /// @dev The sum increment for crediting amount / unit of a token: amount * P / (unit * D),
    /// rounded down (credits at most amount / unit; drops below D / P wei). unit is 1 for whole
    /// wei and RATE_PRECISION for stream releases; mulDiv keeps amount * P exact in 512 bits.
    function sumIncrementDown(uint256 amount, uint256 unit, Pool memory pool) internal pure returns (uint256) {
        return Math.mulDiv(amount, pool.P, unit * pool.totalDeposits);
    }

    /// @dev One loss step before any rescale: remaining = P * (D - Q) and newP = remaining / D,
    /// rounded down (deposits read at most their exact value). Unchecked: Q < D, and
    /// P * (D - Q) < 2^112 * 2^104.
    function lossStepDown(uint256 P, uint256 D, uint256 debtToOffset)
        internal
        pure
        returns (uint256 remaining, uint256 newP)
    {
        unchecked {
            remaining = P * (D - debtToOffset);
        }
        newP = remaining / D;
    }

    // ------------------------------------------------------------ state

    /// @dev `depositor`'s gain in `token`: d_t * (S[s_t] - S_t + sum_k S[s_t + k] / 1e6^k) / P_t
    /// over k = 1..min(span, MAX_SCALE_SPAN), every division rounded down; the divisor reaches
    /// 1e6^12 = 1e72 < 2^256. `pendingS` is added to the sum at the current scale (views count
    /// stream releases not yet written). mulDiv keeps d_t * sum exact in 512 bits.
    function gainDown(
        ProductSumState storage self,
        Deposit memory dep,
        address depositor,
        address token,
        uint256 scale,
        uint256 pendingS
    ) internal view returns (uint256) {
        if (dep.value == 0) return 0;
        mapping(uint256 => uint256) storage sums = self.S[token];
        return gainSinceDown(sums, dep, sums[dep.scale] - self.snapshotS[depositor][token], scale, pendingS);
    }

    /// @dev gainDown's sum and division, given `sum` = S[s_t] - S_t (read by the caller): each
    /// term S[s_t + k] / 1e6^k and the final d_t * sum / P_t rounded down (never above the exact
    /// gain).
    function gainSinceDown(
        mapping(uint256 => uint256) storage sums,
        Deposit memory dep,
        uint256 sum,
        uint256 scale,
        uint256 pendingS
    ) internal view returns (uint256) {
        uint256 last = Math.min(scale, dep.scale + MAX_SCALE_SPAN);
        if (dep.scale == scale) sum += pendingS;
        uint256 divisor = 1;
        for (uint256 s = dep.scale + 1; s <= last; ++s) {
            unchecked {
                divisor *= SCALE_FACTOR; // at most 1e6^12 = 1e72 < 2^256
            }
            uint256 sumAtScale = sums[s];
            if (s == scale) sumAtScale += pendingS;
            sum += sumAtScale / divisor;
        }
        return Math.mulDiv(dep.value, sum, dep.P);
    }

    /// @dev `depositor`'s gain (`dep` as stored) in each of the pool's gain tokens in registration
    /// order, up to the last active one (an inactive token's gain is 0, see Pool), rounded down
    /// (gainDown), with `pool` as the current state; no gains (an empty array) without a deposit.
    /// In the same walk it restarts each active token's S_t at the current sum (`open`: the
    /// deposit stays open) or clears it (refunding gas), writing only an S_t that changes. Without
    /// a deposit every S_t is 0 (cleared when the last deposit closed, never written for a token
    /// registered since), so it is not read.
    function settleDown(
        ProductSumState storage self,
        TokenStreams storage streams,
        Deposit memory dep,
        address depositor,
        bool open,
        Pool memory pool
    ) internal returns (uint256[] memory gains) {
        uint256 active = pool.activeTokens;
        if (dep.value > 0) {
            // n: the last active index + 1, at most 8.
            uint256 n;
            unchecked {
                for (uint256 m = active; m != 0; m >>= 1) {
                    ++n;
                }
            }
            gains = new uint256[](n);
        }
        uint256 i;
        for (uint256 m = active; m != 0; m >>= 1) {
            if (m & 1 != 0) {
                address token = streams.tokens[i].token;
                mapping(uint256 => uint256) storage sums = self.S[token];
                uint256 snapshotNow;
                uint256 sumNow;
                if (dep.value > 0) {
                    snapshotNow = self.snapshotS[depositor][token];
                    uint256 sumAtSnapshot = sums[dep.scale];
                    gains[i] = gainSinceDown(sums, dep, sumAtSnapshot - snapshotNow, pool.scale, 0);
                    if (open) sumNow = dep.scale == pool.scale ? sumAtSnapshot : sums[pool.scale];
                } else if (open) {
                    sumNow = sums[pool.scale];
                }
                if (sumNow != snapshotNow) self.snapshotS[depositor][token] = sumNow;
            }
            unchecked {
                ++i;
            }
        }
    }

    /// @dev Writes `pool` with one SSTORE of the packed slot (totalDeposits, P, scale, activeTokens
    /// from the low bits; each fits its width), not read first: the struct assignment reads and
    /// masks the old word.
    function store(ProductSumState storage self, Pool memory pool) internal {
        (uint104 d, uint112 p, uint32 sc, uint8 a) = (pool.totalDeposits, pool.P, pool.scale, pool.activeTokens);
        Pool storage slot = self.pool;
        assembly ("memory-safe") {
            sstore(slot.slot, or(d, or(shl(104, p), or(shl(216, sc), shl(248, a)))))
        }
    }

    /// @dev Credits amount / unit of `token` to the current deposits: S += amount * P / (unit * D),
    /// rounded down (see sumIncrementDown).
    function credit(ProductSumState storage self, address token, uint256 amount, uint256 unit, Pool memory pool)
        internal
    {
        uint256 newS = self.S[token][pool.scale] + sumIncrementDown(amount, unit, pool);
        self.S[token][pool.scale] = newS;
        emit IStabilityPool.S_Updated(token, newS, pool.scale);
    }

    /// @dev Applies the loss of an offset of `debtToOffset` (<= D, D > 0) to `pool` (in memory;
    /// the caller stores it): Q == D starts a new epoch at a fresh scale with P reset, past every
    /// old snapshot's span; 0 < Q < D sets P to P * (D - Q) * 1e6^k / D for the least k that puts
    /// it in [P_MIN, P_PRECISION], rounded down (deposits read at most their exact value), and
    /// moves the scale up by k. Rescaling BEFORE dividing keeps 27 significant digits however deep
    /// the loss (Liquity rescales the floored quotient, which can be a one-digit number). k <= 5
    /// (StabilityPool's header). P * (D - Q) < 1e33 * 1e30; mulDiv keeps the product by 1e6^k
    /// exact.
    function applyLoss(ProductSumState storage self, Pool memory pool, uint256 debtToOffset) internal {
        uint256 D = pool.totalDeposits;
        if (debtToOffset == D) {
            uint256 epoch = self.epoch + 1;
            self.epoch = epoch;
            pool.scale += uint32(EPOCH_SCALE_GAP);
            pool.P = uint112(P_PRECISION);
            emit IStabilityPool.EpochUpdated(epoch, pool.scale);
            emit IStabilityPool.ScaleUpdated(pool.scale);
            emit IStabilityPool.P_Updated(P_PRECISION);
        } else if (debtToOffset > 0) {
            (uint256 remaining, uint256 newP) = lossStepDown(pool.P, D, debtToOffset);
            uint256 factor = 1;
            while (newP < P_MIN) {
                factor *= SCALE_FACTOR;
                newP = Math.mulDiv(remaining, factor, D);
                pool.scale += 1;
                emit IStabilityPool.ScaleUpdated(pool.scale);
            }
            pool.P = uint112(newP);
            emit IStabilityPool.P_Updated(newP);
        }
        pool.totalDeposits = uint104(D - debtToOffset);
    }

    /// @dev Restarts `depositor`'s deposit snapshot at `value` (or clears it when 0, refunding
    /// gas); the sums' snapshots are restarted by settleDown.
    function snapshot(ProductSumState storage self, address depositor, uint256 value, Pool memory pool) internal {
        bool open = value > 0;
        Deposit storage dep = self.deposits[depositor];
        if (open) {
            (uint104 value_, uint112 P_, uint32 scale_) = (uint104(value), pool.P, pool.scale);
            // One SSTORE of the packed slot (value, then P, then scale, from the low bits; each
            // fits its width), not read first: the struct assignment reads and masks the old
            // word (measured: about 290 gas more per operation that keeps a deposit).
            assembly ("memory-safe") {
                sstore(dep.slot, or(value_, or(shl(104, P_), shl(216, scale_))))
            }
        } else {
            // Cleared with one SSTORE of 0, not read first (a struct delete reads and masks).
            assembly ("memory-safe") {
                sstore(dep.slot, 0)
            }
        }
        emit IStabilityPool.DepositUpdated(
            depositor, value, open ? pool.P : 0, open ? pool.scale : 0, pool.totalDeposits
        );
    }
}
