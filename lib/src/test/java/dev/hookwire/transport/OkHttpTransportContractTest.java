package dev.hookwire.transport;

import dev.hookwire.testing.contract.TransportContract;

/** {@link OkHttpTransport} keeps the {@link Transport} contract. */
class OkHttpTransportContractTest extends TransportContract {

  @Override
  protected Transport newTransport(NetworkPolicy policy) {
    return OkHttpTransport.builder().networkPolicy(policy).build();
  }
}
