package io.catwrangler.core.port;

import io.catwrangler.core.port.contract.UnitOfWorkContract;

class EachOnItsOwnContractTest extends UnitOfWorkContract {
  @Override
  protected UnitOfWork newUnit() {
    return UnitOfWork.EACH_ON_ITS_OWN;
  }
}
