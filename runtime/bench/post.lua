-- wrk script: POST the body file named by $BODY to the URL given on the command line. With
-- $JSON_LENGTH, the body is the binary tensor data extension's: that many bytes of JSON, then the
-- tensors' bytes, announced by Inference-Header-Content-Length.
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
local json_length = os.getenv("JSON_LENGTH")
if json_length and json_length ~= "" then
  wrk.headers["Content-Type"] = "application/octet-stream"
  wrk.headers["Inference-Header-Content-Length"] = json_length
else
  wrk.headers["Content-Type"] = "application/json"
end
