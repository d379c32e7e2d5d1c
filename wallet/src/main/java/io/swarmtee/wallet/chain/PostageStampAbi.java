package io.swarmtee.wallet.chain;

import io.swarmtee.tee.bee.BatchId;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * The calls, events and errors of Swarm's PostageStamp contract and the ERC-20 token that swarmtee
 * uses, encoded by hand with web3j's {@link FunctionEncoder} (the ABI of {@code
 * github.com/ethersphere/go-storage-incentives-abi} v0.9.4, the version Bee v2.7.0 is built
 * against). Pure functions, no I/O.
 */
final class PostageStampAbi {

  /**
   * {@code BatchCreated(bytes32 indexed batchId, uint256 totalAmount, uint256 normalisedBalance,
   * address owner, uint8 depth, uint8 bucketDepth, bool immutableFlag)}.
   */
  static final Event BATCH_CREATED =
      new Event(
          "BatchCreated",
          List.of(
              new TypeReference<Bytes32>(true) {},
              new TypeReference<Uint256>() {},
              new TypeReference<Uint256>() {},
              new TypeReference<Address>() {},
              new TypeReference<Uint8>() {},
              new TypeReference<Uint8>() {},
              new TypeReference<Bool>() {}));

  /** The log topic of {@link #BATCH_CREATED}. */
  static final String BATCH_CREATED_TOPIC = EventEncoder.encode(BATCH_CREATED);

  /** The custom errors PostageStamp reverts with (all without arguments), by 4-byte selector. */
  private static final Map<String, String> ERRORS =
      Stream.of(
              "AdministratorOnly",
              "BatchDoesNotExist",
              "BatchExists",
              "BatchExpired",
              "BatchTooSmall",
              "DepthNotIncreasing",
              "InsufficienChunkCount",
              "InsufficientBalance",
              "InvalidDepth",
              "NoBatchesExist",
              "NotBatchOwner",
              "OnlyPauser",
              "OnlyRedistributor",
              "PriceOracleOnly",
              "TotalOutpaymentDecreased",
              "TransferFailed",
              "ValueCannotBeZero",
              "ValueDoesNotExist",
              "ValueKeyPairExists",
              "ZeroAddress",
              "ZeroBalance")
          .collect(Collectors.toUnmodifiableMap(e -> selector(e + "()"), Function.identity()));

  /** Solidity's {@code Error(string)}, as {@code require(cond, "text")} and OpenZeppelin revert. */
  private static final String ERROR_STRING = selector("Error(string)");

  /** Solidity's {@code Panic(uint256)}: assertion, overflow, division by zero. */
  private static final String PANIC = selector("Panic(uint256)");

  private PostageStampAbi() {}

  /** ERC-20 {@code approve(spender, value)}. */
  static String approve(String spender, BigInteger value) {
    return encode("approve", new Address(spender), new Uint256(value));
  }

  /**
   * {@code createBatch(owner, initialBalancePerChunk, depth, bucketDepth, nonce, immutable)}.
   *
   * @param nonce 32 bytes
   */
  static String createBatch(
      String owner,
      BigInteger initialBalancePerChunk,
      int depth,
      int bucketDepth,
      byte[] nonce,
      boolean immutable) {
    return encode(
        "createBatch",
        new Address(owner),
        new Uint256(initialBalancePerChunk),
        new Uint8(depth),
        new Uint8(bucketDepth),
        new Bytes32(nonce),
        new Bool(immutable));
  }

  /** {@code topUp(batchId, topupAmountPerChunk)}. */
  static String topUp(BatchId id, BigInteger amountPerChunk) {
    return encode("topUp", new Bytes32(id.bytes()), new Uint256(amountPerChunk));
  }

  /** {@code increaseDepth(batchId, newDepth)}. */
  static String increaseDepth(BatchId id, int newDepth) {
    return encode("increaseDepth", new Bytes32(id.bytes()), new Uint8(newDepth));
  }

  /**
   * {@code batches(bytes32)}: {@code (owner, depth, bucketDepth, immutableFlag, normalisedBalance,
   * lastUpdatedBlockNumber)}.
   */
  static org.web3j.abi.datatypes.Function batches(BatchId id) {
    return new org.web3j.abi.datatypes.Function(
        "batches",
        List.of(new Bytes32(id.bytes())),
        List.of(
            new TypeReference<Address>() {},
            new TypeReference<Uint8>() {},
            new TypeReference<Uint8>() {},
            new TypeReference<Bool>() {},
            new TypeReference<Uint256>() {},
            new TypeReference<Uint256>() {}));
  }

  /** {@code lastPrice()}: PLUR per chunk per block, a {@code uint64}. */
  static org.web3j.abi.datatypes.Function lastPrice() {
    return new org.web3j.abi.datatypes.Function(
        "lastPrice", List.of(), List.of(new TypeReference<Uint64>() {}));
  }

  /** {@code currentTotalOutPayment()}: PLUR per chunk paid out since the contract started. */
  static org.web3j.abi.datatypes.Function currentTotalOutPayment() {
    return new org.web3j.abi.datatypes.Function(
        "currentTotalOutPayment", List.of(), List.of(new TypeReference<Uint256>() {}));
  }

  /** ERC-20 {@code balanceOf(owner)}. */
  static org.web3j.abi.datatypes.Function balanceOf(String owner) {
    return new org.web3j.abi.datatypes.Function(
        "balanceOf", List.of(new Address(owner)), List.of(new TypeReference<Uint256>() {}));
  }

  /**
   * A batch as {@code batches(id)} returns it, with the block it was last changed in.
   *
   * @param lastUpdatedBlock the block of its creation or last depth increase
   */
  record Stored(OnChainBatch batch, long lastUpdatedBlock) {
    Stored {
      Objects.requireNonNull(batch, "batch");
    }
  }

  /**
   * Decodes the answer to {@link #batches(BatchId)}.
   *
   * @return empty when the contract holds no batch {@code id} (owner is the zero address: never
   *     created, or expired and removed)
   */
  static Optional<Stored> decodeBatch(BatchId id, String returned) {
    @SuppressWarnings("rawtypes")
    List<Type> out = FunctionReturnDecoder.decode(returned, batches(id).getOutputParameters());
    if (out.size() != 6) {
      throw new IllegalStateException("batches(" + id + ") answered " + returned);
    }
    String owner = (String) out.get(0).getValue();
    if (new BigInteger(Numeric.cleanHexPrefix(owner), 16).signum() == 0) {
      return Optional.empty();
    }
    OnChainBatch batch =
        new OnChainBatch(
            id,
            Keys.toChecksumAddress(owner),
            ((BigInteger) out.get(1).getValue()).intValueExact(),
            ((BigInteger) out.get(2).getValue()).intValueExact(),
            (Boolean) out.get(3).getValue(),
            (BigInteger) out.get(4).getValue());
    return Optional.of(new Stored(batch, ((BigInteger) out.get(5).getValue()).longValueExact()));
  }

  /** Decodes a single {@code uint} answer. */
  static BigInteger decodeUint(org.web3j.abi.datatypes.Function f, String returned) {
    @SuppressWarnings("rawtypes")
    List<Type> out = FunctionReturnDecoder.decode(returned, f.getOutputParameters());
    if (out.isEmpty()) {
      throw new IllegalStateException(f.getName() + "() answered '" + returned + "'");
    }
    return (BigInteger) out.getFirst().getValue();
  }

  /**
   * The batch id PostageStamp derives in {@code createBatch}: {@code
   * keccak256(abi.encode(msg.sender, _nonce))}. The owner plays no part: the sender is whoever
   * sends the transaction.
   */
  static BatchId batchId(String sender, byte[] nonce) {
    if (nonce.length != 32) {
      throw new IllegalArgumentException("nonce must be 32 bytes");
    }
    byte[] packed = new byte[64];
    byte[] address = Numeric.hexStringToByteArray(sender);
    System.arraycopy(address, 0, packed, 32 - address.length, address.length);
    System.arraycopy(nonce, 0, packed, 32, 32);
    return new BatchId(HexFormat.of().formatHex(Hash.sha3(packed)));
  }

  /**
   * Reads a {@code BatchCreated} event.
   *
   * @return empty when {@code log} is another event or from another contract
   */
  static Optional<OnChainBatch> batchCreated(Log log, String postageStamp) {
    List<String> topics = log.getTopics();
    if (topics == null
        || topics.size() != 2
        || !BATCH_CREATED_TOPIC.equalsIgnoreCase(topics.get(0))
        || !postageStamp.equalsIgnoreCase(log.getAddress())) {
      return Optional.empty();
    }
    @SuppressWarnings("rawtypes")
    List<Type> data =
        FunctionReturnDecoder.decode(log.getData(), BATCH_CREATED.getNonIndexedParameters());
    if (data.size() != 6) {
      throw new IllegalStateException("malformed BatchCreated data " + log.getData());
    }
    return Optional.of(
        new OnChainBatch(
            BatchId.parse(topics.get(1)),
            Keys.toChecksumAddress((String) data.get(2).getValue()),
            ((BigInteger) data.get(3).getValue()).intValueExact(),
            ((BigInteger) data.get(4).getValue()).intValueExact(),
            (Boolean) data.get(5).getValue(),
            (BigInteger) data.get(1).getValue()));
  }

  /**
   * Names the revert of a call from its return data.
   *
   * @param data the revert data ({@code 0x}-prefixed hex, possibly JSON-quoted as web3j keeps an
   *     error's {@code data}), as an RPC node reports it
   * @return {@code "BatchTooSmall()"}, the text of {@code Error(string)}, {@code "Panic(0x11)"}, or
   *     empty when {@code data} is none of those
   */
  static Optional<String> revertReason(String data) {
    if (data == null) {
      return Optional.empty();
    }
    // web3j keeps an RPC error's data as raw JSON: a hex string arrives with its quotes.
    String text = data.strip();
    if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
      text = text.substring(1, text.length() - 1);
    }
    String hex = Numeric.cleanHexPrefix(text).toLowerCase(java.util.Locale.ROOT);
    if (hex.length() < 8 || !hex.matches("[0-9a-f]*")) {
      return Optional.empty();
    }
    String selector = "0x" + hex.substring(0, 8);
    String args = hex.substring(8);
    String custom = ERRORS.get(selector);
    if (custom != null) {
      return Optional.of(custom + "()");
    }
    try {
      if (selector.equals(ERROR_STRING)) {
        @SuppressWarnings("rawtypes")
        List<Type> out =
            FunctionReturnDecoder.decode(args, outputs(new TypeReference<Utf8String>() {}));
        return out.isEmpty() ? Optional.empty() : Optional.of((String) out.getFirst().getValue());
      }
      if (selector.equals(PANIC)) {
        @SuppressWarnings("rawtypes")
        List<Type> out =
            FunctionReturnDecoder.decode(args, outputs(new TypeReference<Uint256>() {}));
        return out.isEmpty()
            ? Optional.empty()
            : Optional.of("Panic(0x" + ((BigInteger) out.getFirst().getValue()).toString(16) + ")");
      }
    } catch (RuntimeException malformed) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static String encode(String name, Type<?>... inputs) {
    return FunctionEncoder.encode(
        new org.web3j.abi.datatypes.Function(name, Arrays.asList(inputs), List.of()));
  }

  @SuppressWarnings("rawtypes")
  private static List<TypeReference<Type>> outputs(TypeReference<?> type) {
    return new org.web3j.abi.datatypes.Function("decode", List.of(), List.of(type))
        .getOutputParameters();
  }

  private static String selector(String signature) {
    return Hash.sha3String(signature).substring(0, 10);
  }
}
