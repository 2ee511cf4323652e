"""The values both client checks send to echo.pt: every datatype the runtime serves, at its edges."""
import numpy as np

# Every datatype the runtime serves, with the values at its edges: each must come back exactly,
# with its own datatype, through the client's own JSON encoding and decoding.
EVERY_DATATYPE = {
    "BOOL": np.array([[True, False, True], [False, False, True]]),
    "UINT8": np.array([[0, 1, 255], [7, 128, 254]], dtype=np.uint8),
    "INT8": np.array([[-128, 0, 127], [-1, 1, 42]], dtype=np.int8),
    "INT32": np.array([[-2**31, 0, 2**31 - 1], [-70000, 1, 65536]], dtype=np.int32),
    "INT64": np.array([[-2**63, 0, 2**63 - 1], [2**53 + 1, -(2**53) - 1, 9]], dtype=np.int64),
    "FP16": np.array([[-65504, 0.0, 65504], [0.5, -2.25, 6.1e-05]], dtype=np.float16),
    "FP32": np.array([[-3.4028235e38, 0.0, 3.4028235e38], [1e-45, -0.1, 1.5]], dtype=np.float32),
    "FP64": np.array([[-1.7976931348623157e308, 0.0, 5e-324], [0.1, -2.5, 1e300]], dtype=np.float64),
}
