package io.swarmtee.wallet.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.tee.bee.BatchId;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Fixed vectors produced by go-ethereum's {@code abi.Pack} over the PostageStamp ABI of {@code
 * go-storage-incentives-abi} v0.9.4 (the contract Bee v2.7.0 and the test chain use), and its
 * {@code crypto.Keccak256} of {@code abi.encode(sender, nonce)}: the encoding here is checked
 * against an independent implementation, not against itself.
 */
class PostageStampAbiTest {

  private static final String OWNER = "0x8ba1f109551bD432803012645Ac136ddd64DBA72";
  private static final String POSTAGE_STAMP = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
  private static final BatchId ID =
      new BatchId("a0a1a2a3a4a5a6a7a8a9aaabacadaeafa0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  private static final BigInteger AMOUNT = BigInteger.valueOf(1_000_000_000L);

  private static byte[] nonce() {
    byte[] nonce = new byte[32];
    for (int i = 0; i < 32; i++) {
      nonce[i] = (byte) (i + 1);
    }
    return nonce;
  }

  @Test
  void createBatchMatchesGoEthereumsEncoding() {
    assertEquals(
        "0x5239af71"
            + "0000000000000000000000008ba1f109551bd432803012645ac136ddd64dba72"
            + "000000000000000000000000000000000000000000000000000000003b9aca00"
            + "0000000000000000000000000000000000000000000000000000000000000014"
            + "0000000000000000000000000000000000000000000000000000000000000010"
            + "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"
            + "0000000000000000000000000000000000000000000000000000000000000001",
        PostageStampAbi.createBatch(OWNER, AMOUNT, 20, 16, nonce(), true));
  }

  @Test
  void topUpIncreaseDepthAndApproveMatch() {
    assertEquals(
        "0xb67644b9"
            + ID.hex()
            + "00000000000000000000000000000000000000000000000000000000075bcd15",
        PostageStampAbi.topUp(ID, BigInteger.valueOf(123456789)));
    assertEquals(
        "0x47aab79b"
            + ID.hex()
            + "0000000000000000000000000000000000000000000000000000000000000015",
        PostageStampAbi.increaseDepth(ID, 21));
    assertEquals(
        "0x095ea7b3"
            + "0000000000000000000000008ba1f109551bd432803012645ac136ddd64dba72"
            + "000000000000000000000000000000000000000000000000000000003b9aca00",
        PostageStampAbi.approve(OWNER, AMOUNT));
    assertEquals(
        "0xc81e25ab" + ID.hex(), org.web3j.abi.FunctionEncoder.encode(PostageStampAbi.batches(ID)));
  }

  @Test
  void batchIdIsKeccakOfSenderAndNonceAsTheContractDerivesIt() {
    assertEquals(
        new BatchId("72a84ca74462c2779dc47aaf4f13fa736a8dbb5754ea14e3d39d968c244723c6"),
        PostageStampAbi.batchId(OWNER, nonce()));
  }

  @Test
  void batchesAnswerDecodesToTheStoredBatch() {
    String returned =
        "0x0000000000000000000000008ba1f109551bd432803012645ac136ddd64dba72"
            + "0000000000000000000000000000000000000000000000000000000000000016"
            + "0000000000000000000000000000000000000000000000000000000000000010"
            + "0000000000000000000000000000000000000000000000000000000000000001"
            + "000000000000000000000000000000000000000000000000000000003b9aca00"
            + "0000000000000000000000000000000000000000000000000000000000001092";
    PostageStampAbi.Stored s = PostageStampAbi.decodeBatch(ID, returned).orElseThrow();
    assertEquals(new OnChainBatch(ID, OWNER, 22, 16, true, AMOUNT), s.batch());
    assertEquals(4242, s.lastUpdatedBlock());
  }

  @Test
  void anUnknownBatchHasTheZeroOwnerAndDecodesToEmpty() {
    assertEquals(Optional.empty(), PostageStampAbi.decodeBatch(ID, "0x" + "0".repeat(64 * 6)));
  }

  @Test
  void batchCreatedEventDecodes() {
    assertEquals(
        "0x9b088e2c89b322a3c1d81515e1c88db3d386d022926f0e2d0b9b5813b7413d58",
        PostageStampAbi.BATCH_CREATED_TOPIC);
    Log log = new Log();
    log.setAddress(POSTAGE_STAMP.toLowerCase(java.util.Locale.ROOT));
    log.setTopics(List.of(PostageStampAbi.BATCH_CREATED_TOPIC, "0x" + ID.hex()));
    log.setData(
        "0x000000000000000000000000000000000000000000000000000000000000004d"
            + "000000000000000000000000000000000000000000000000000000003b9aca00"
            + "0000000000000000000000008ba1f109551bd432803012645ac136ddd64dba72"
            + "0000000000000000000000000000000000000000000000000000000000000014"
            + "0000000000000000000000000000000000000000000000000000000000000010"
            + "0000000000000000000000000000000000000000000000000000000000000001");
    assertEquals(
        Optional.of(new OnChainBatch(ID, OWNER, 20, 16, true, AMOUNT)),
        PostageStampAbi.batchCreated(log, POSTAGE_STAMP));
    assertTrue(
        PostageStampAbi.batchCreated(log, "0x0000000000000000000000000000000000000001").isEmpty(),
        "an event of another contract is not ours");
  }

  @Test
  void revertReasonsAreNamed() {
    assertEquals(Optional.of("BatchTooSmall()"), PostageStampAbi.revertReason("0x7103b805"));
    // The local chain's answer to eth_estimateGas of createBatch with 1 PLUR per chunk:
    // {"code":3,"message":"execution reverted","data":"0xf4d678b8"}, data kept quoted by web3j.
    assertEquals(
        Optional.of("InsufficientBalance()"), PostageStampAbi.revertReason("\"0xf4d678b8\""));
    // Error(string) "ERC20: insufficient allowance", as OpenZeppelin's token reverts.
    String text = "ERC20: insufficient allowance";
    String hex =
        org.web3j.abi.FunctionEncoder.encodeConstructor(
            List.of(new org.web3j.abi.datatypes.Utf8String(text)));
    assertEquals(Optional.of(text), PostageStampAbi.revertReason("0x08c379a0" + hex));
    assertEquals(
        Optional.of("Panic(0x11)"),
        PostageStampAbi.revertReason(
            "0x4e487b71" + "0000000000000000000000000000000000000000000000000000000000000011"));
    assertEquals(Optional.empty(), PostageStampAbi.revertReason("0xdeadbeef"));
    assertEquals(Optional.empty(), PostageStampAbi.revertReason(null));
    assertEquals(Optional.empty(), PostageStampAbi.revertReason("execution reverted"));
  }
}
