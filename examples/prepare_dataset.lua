-- A data-preparation script in the legacy ecosystem's style, written against the original
-- packages' APIs: a JSON config (cjson), a CSV of samples (csvigo), a vocabulary in tds
-- containers, features in an HDF5 file (hdf5), output folders and listings with lfs.
--
--    th examples/prepare_dataset.lua -data <folder with config.json and samples.csv>
--                                    -out <output folder>

require 'torch'
require 'lfs'
require 'hdf5'
require 'csvigo'
local cjson = require 'cjson'
local tds = require 'tds'

local cmd = torch.CmdLine()
cmd:text('Turn a CSV of labelled sentences into HDF5 features and a vocabulary')
cmd:option('-data', 'data', 'folder holding config.json and samples.csv')
cmd:option('-out', 'prepared', 'output folder')
local opt = cmd:parse(arg or {})

-- the config
local config_file = assert(io.open(opt.data .. '/config.json', 'r'))
local config = cjson.decode(config_file:read('*a'))
config_file:close()
local max_words = config.max_words

-- the samples: a tidy table {text = {...}, label = {...}}
local samples = csvigo.load{path = opt.data .. '/samples.csv', mode = 'tidy', verbose = false}

-- the vocabulary, in order of first appearance
local vocab = tds.Hash()
local words = tds.Vec()
for _, text in ipairs(samples.text) do
   for word in text:lower():gmatch('%a+') do
      if not vocab[word] then
         words:insert(word)
         vocab[word] = #words
      end
   end
end

-- features: word indices, padded with zeros; labels as numbers
local n = #samples.text
local features = torch.LongTensor(n, max_words):zero()
local labels = torch.Tensor(n)
for i, text in ipairs(samples.text) do
   local j = 0
   for word in text:lower():gmatch('%a+') do
      j = j + 1
      if j > max_words then break end
      features[i][j] = vocab[word]
   end
   labels[i] = tonumber(samples.label[i])
end

-- outputs
if not lfs.attributes(opt.out, 'mode') then
   assert(lfs.mkdir(opt.out))
end
local h5 = hdf5.open(opt.out .. '/data.h5', 'w')
h5:write('/features', features)
h5:write('/labels', labels)
h5:close()
torch.save(opt.out .. '/vocab.t7', vocab)

local listing = {}
for name in lfs.dir(opt.out) do
   if name ~= '.' and name ~= '..' then
      listing[#listing + 1] = name
   end
end
table.sort(listing)

local summary = {
   samples = n,
   vocabulary = #words,
   first_words = {words[1], words[2], words[3]},
   files = listing,
   mean_label = labels:mean(),
   bytes = lfs.attributes(opt.out .. '/data.h5', 'size'),
}
local summary_file = assert(io.open(opt.out .. '/summary.json', 'w'))
summary_file:write(cjson.encode(summary))
summary_file:close()
print(string.format('%d samples, %d words', n, #words))
