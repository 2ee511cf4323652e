-- Argo CD health for maas.dev ModelDeployment, read from the conditions the operator writes
-- (Ready, Reconciling, Stalled: the Kubernetes conventions kstatus and Flux read too).
--   Progressing  the operator has not yet described this generation, or it is preparing, rolling
--                out or scaling
--   Degraded     Stalled (a failed revision, rolled back or not; an invalid spec; pods that no
--                longer come up), or nothing is ready and nothing is in progress
--   Healthy      Ready and describing the current generation
-- The message is the deciding condition's message, so the UI says what the operator says.
local function condition(conditionType)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function health(status, message)
  return { status = status, message = message or "" }
end

local generation = obj.metadata.generation
local observed = nil
if obj.status ~= nil then
  observed = obj.status.observedGeneration
end
if condition("Ready") == nil or (generation ~= nil and (observed == nil or observed < generation)) then
  local described = "nothing yet"
  if observed ~= nil and observed > 0 then
    described = "generation " .. observed
  end
  return health("Progressing", "Waiting for the operator to observe generation " ..
    (generation or "?") .. " (its status describes " .. described .. ")")
end

local stalled = condition("Stalled")
if stalled ~= nil and stalled.status == "True" then
  return health("Degraded", stalled.message)
end
local reconciling = condition("Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  return health("Progressing", reconciling.message)
end
local ready = condition("Ready")
if ready.status == "True" then
  return health("Healthy", ready.message)
end
if ready.status == "False" then
  return health("Degraded", ready.message)
end
return health("Progressing", ready.message)
