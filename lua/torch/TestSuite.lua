-- torch.TestSuite(): a table of test functions for torch.Tester that refuses a second test
-- of the same name (redefining a test by mistake would silently drop the first one), and
-- anything that is not a function.

function torch.TestSuite()
   local suite = {__tests = {}, __isTestSuite = true}
   return setmetatable(suite, {
      __index = function(self, name)
         return self.__tests[name]
      end,
      __newindex = function(self, name, test)
         if self.__tests[name] ~= nil then
            error('Test ' .. tostring(name) .. ' is already defined.')
         end
         if type(test) == 'table' then
            error('Nested tables of tests are not supported')
         elseif type(test) ~= 'function' then
            error('Only functions are supported as members of a TestSuite')
         end
         self.__tests[name] = test
      end,
   })
end

return torch.TestSuite
