-- wrk script: alternating POST /locks/acquire and /locks/release on a per-thread sequence of keys, so every two
-- requests are one lock cycle through the full HTTP stack (parsing, identity, validation, dispatcher, storage).
local counter = 0
local thread_id = 0

function setup(thread)
    thread:set("id", thread_id)
    thread_id = thread_id + 1
end

function init(args)
    counter = 0
end

function request()
    counter = counter + 1
    local key = "bench/http/" .. tostring(id) .. "/" .. tostring(math.floor((counter + 1) / 2))
    local path = (counter % 2 == 1) and "/locks/acquire" or "/locks/release"
    local body = '{"file_path":"' .. key .. '","agent_id":"wrk-' .. tostring(id) .. '","ttl_minutes":5}'
    if counter % 2 == 0 then
        body = '{"file_path":"' .. key .. '","agent_id":"wrk-' .. tostring(id) .. '"}'
    end
    return wrk.format("POST", path, {["Content-Type"] = "application/json"}, body)
end
