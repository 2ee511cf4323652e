package dev.maas.runtime.protocol;

import ai.djl.ndarray.types.DataType;
import dev.maas.contract.Datatype;
import java.util.EnumMap;
import java.util.Map;
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

  /** On the answer path (every output of every batch): a lookup, built once. */
  private static final Map<DataType, Datatype> FROM_DJL = new EnumMap<>(DataType.class);

  static {
    for (Datatype datatype : Datatype.values()) {
      FROM_DJL.put(toDjl(datatype), datatype);
    }
  }

  public static Optional<Datatype> fromDjl(DataType type) {
    return Optional.ofNullable(FROM_DJL.get(type));
  }
}
