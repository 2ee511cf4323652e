package dev.maas.runtime.protocol;

import dev.maas.contract.Datatype;

/** A request's datatype name, read the same way whichever protocol carried it. */
public final class RequestDatatypes {
  private RequestDatatypes() {}

  /**
   * @param label the tensor as the error message names it ({@code input 'x'})
   * @throws BadRequestException naming the tensor and what is served instead
   */
  public static Datatype parse(String datatype, String label) {
    if (datatype.equals("BF16")) {
      throw new BadRequestException(
          label + ": datatype BF16 is not supported by this server; send FP32 or FP16");
    }
    if (datatype.equals("INT16")) {
      throw new BadRequestException(
          label + ": datatype INT16 is not supported by this server; send INT32");
    }
    return Datatype.fromName(datatype)
        .orElseThrow(
            () ->
                new BadRequestException(
                    label
                        + ": unsupported datatype "
                        + datatype
                        + "; supported: "
                        + Datatype.supportedNames()));
  }
}
