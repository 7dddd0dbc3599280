package dev.hookwire.transport;

import dev.hookwire.testing.contract.TransportContract;

/** {@link JdkHttpTransport} keeps the {@link Transport} contract. */
class JdkHttpTransportContractTest extends TransportContract {

  @Override
  protected Transport newTransport(NetworkPolicy policy) {
    return JdkHttpTransport.builder().networkPolicy(policy).build();
  }
}
