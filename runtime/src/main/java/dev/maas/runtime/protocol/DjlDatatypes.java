package dev.maas.runtime.protocol;

import ai.djl.ndarray.types.DataType;
import dev.maas.contract.Datatype;
import java.util.Arrays;
import java.util.Optional;

/**
 * The contract's datatypes as DJL's. An exhaustive switch: a datatype added to the contract does
 * not compile here until it has a DJL counterpart that does not abort the JVM.
 */
public final class DjlDatatypes {
  private DjlDatatypes() {}

  public static DataType toDjl(Datatype datatype) {
    return switch (datatype) {
      case BOOL -> DataType.BOOLEAN;
      case UINT8 -> DataType.UINT8;
      case INT8 -> DataType.INT8;
      case INT32 -> DataType.INT32;
      case INT64 -> DataType.INT64;
      case FP16 -> DataType.FLOAT16;
      case FP32 -> DataType.FLOAT32;
      case FP64 -> DataType.FLOAT64;
    };
  }

  public static Optional<Datatype> fromDjl(DataType type) {
    return Arrays.stream(Datatype.values()).filter(d -> toDjl(d) == type).findFirst();
  }
}
