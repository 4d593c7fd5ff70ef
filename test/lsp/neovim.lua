-- Drives shiftlab's language server through Neovim's own LSP client (vim.lsp, Neovim 0.7+), headless, and
-- writes what the client received as JSON for test/lsp/neovim.test.ts. Inputs from the environment:
-- SHIFTLAB_ROOT (the repository), STUDY (the .study to open), OUT (where the JSON goes).
local root, study, out = os.getenv('SHIFTLAB_ROOT'), os.getenv('STUDY'), os.getenv('OUT')
local received = { errors = {} }

local function finish()
  local file = assert(io.open(out, 'w'))
  file:write(vim.fn.json_encode(received))
  file:close()
  vim.cmd('qall!')
end

local ok, problem = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(study))
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({
    name = 'shiftlab',
    cmd = { 'node', root .. '/bin/shiftlab.mjs', 'lsp', '--stdio' },
    root_dir = root,
    on_error = function(code) table.insert(received.errors, 'client error ' .. tostring(code)) end,
  })
  assert(id, 'the client did not start')
  vim.lsp.buf_attach_client(buf, id)

  assert(vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50), 'no diagnostics within 30 s')
  received.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(received.diagnostics, { code = d.code, message = d.message, lnum = d.lnum, col = d.col, severity = d.severity, source = d.source })
  end

  -- Put the cursor on the first match of a pattern (plus an offset) and send a request from there.
  local function at(pattern, offset)
    vim.api.nvim_win_set_cursor(0, { 1, 0 })
    local line = vim.fn.search(pattern, 'c')
    assert(line > 0, 'pattern not found: ' .. pattern)
    local col = vim.fn.col('.') - 1 + (offset or 0)
    vim.api.nvim_win_set_cursor(0, { line, col })
  end
  local function request(method, params)
    local responses, err = vim.lsp.buf_request_sync(buf, method, params or vim.lsp.util.make_position_params(), 20000)
    assert(responses, method .. ': ' .. tostring(err))
    local response = responses[id]
    if response.err then return { error = response.err.message } end
    return response.result
  end

  at('tint {', 1)
  received.hover = request('textDocument/hover')
  at('model cnn', 6)
  received.hover_name = request('textDocument/hover')
  at('= tinted\\[', 3)
  received.hover_member = request('textDocument/hover')
  at('recipe fit {', 7)
  received.definition = request('textDocument/definition')
  at('epochs 1 ', 0)
  received.completion = request('textDocument/completion')
  local params = vim.lsp.util.make_formatting_params({ tabSize = 2, insertSpaces = true })
  received.formatting = request('textDocument/formatting', params)
  if received.formatting and not received.formatting.error then
    vim.lsp.util.apply_text_edits(received.formatting, buf, 'utf-16')
  end
  received.formatted = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') .. '\n'
  vim.lsp.stop_client(id)
end)
if not ok then table.insert(received.errors, tostring(problem)) end
finish()
