-- Neovim set-up for the docs screenshot (test/lsp/screenshot.ts): shiftlab lsp on .study buffers, diagnostics as
-- signs and virtual text, then a hover on a name once the diagnostics are in.
local root = os.getenv('SHIFTLAB_ROOT')
vim.o.number = true
vim.o.signcolumn = 'yes'
vim.cmd('highlight NormalFloat ctermbg=236 ctermfg=252')
vim.cmd('highlight FloatBorder ctermbg=236 ctermfg=244')
vim.lsp.handlers['textDocument/hover'] = vim.lsp.with(vim.lsp.handlers.hover, { border = 'rounded' })
vim.diagnostic.config({ virtual_text = true, signs = true, underline = true })
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({ name = 'shiftlab', cmd = { 'node', root .. '/bin/shiftlab.mjs', 'lsp', '--stdio' }, root_dir = root })
vim.lsp.buf_attach_client(buf, id)
vim.wait(60000, function() return #vim.diagnostic.get(buf) > 0 end, 100)
vim.api.nvim_win_set_cursor(0, { 1, 0 })
vim.fn.search(os.getenv('HOVER_AT'), 'ce')
vim.lsp.buf.hover()
