-- optim.de(opfunc, x[, config]): differential evolution (DE/best/1/bin). A population of
-- popsize points drawn uniformly in [minRegion, maxRegion]^D evolves: each member's child
-- takes, coordinate by coordinate with probability crossoverRate (and always at one random
-- coordinate), best + scaleFactor * (a - b) for two other random members a, b, else the
-- member's own value; a child at least as good replaces its parent. The draws come from a
-- generator of its own seeded with 1, so runs are repeatable and leave torch's generator
-- alone. opfunc(point) need only return f; x gives the dimension.
--
-- config (defaults): popsize (10 D), scaleFactor, crossoverRate, maxFEs (the number of
-- evaluations), maxRegion (30), minRegion (-30).
-- Returns the best point found and the tensor of the maxFEs values evaluated, in order.

function optim.de(opfunc, x, config)
   config = config or {}
   local D = x:nElement()
   local popsize = config.popsize or 10 * D
   local scaleFactor = config.scaleFactor
   local crossoverRate = config.crossoverRate
   local maxFEs = tonumber(config.maxFEs)
   local maxRegion = config.maxRegion or 30
   local minRegion = config.minRegion or -30

   local fx = x.new(maxFEs)
   local pop, children = x.new(popsize, D), x.new(popsize, D)
   local fitness, children_fitness = x.new(popsize), x.new(popsize)
   local best_solution = x.new(D)
   local fes = 1
   local function record(value)
      fx[fes] = value
      fes = fes + 1
      return value
   end

   local gen = torch.Generator()
   torch.manualSeed(gen, 1)
   pop:uniform(gen, minRegion, maxRegion)
   for i = 1, popsize do fitness[i] = record(opfunc(pop[i])) end

   -- as the original, the search starts from the member of largest value
   local best_fitness, index = fitness:max(1)
   best_fitness, index = best_fitness[1], index[1]
   best_solution:copy(pop[index])

   while fes < maxFEs do
      for i = 1, popsize do
         local r1, r2
         repeat r1 = torch.random(gen, 1, popsize) until r1 ~= i
         repeat r2 = torch.random(gen, 1, popsize) until r2 ~= r1 and r2 ~= i
         local jrand = torch.random(gen, 1, D)
         local child, member = children[i], pop[i]
         for j = 1, D do
            if torch.uniform(gen, 0, 1) < crossoverRate or i == jrand then
               child[j] = best_solution[j] + scaleFactor * (pop[r1][j] - pop[r2][j])
            else
               child[j] = member[j]
            end
         end
         children_fitness[i] = record(opfunc(child))
      end
      for i = 1, popsize do
         if children_fitness[i] <= fitness[i] then
            pop[i]:copy(children[i])
            fitness[i] = children_fitness[i]
            if fitness[i] < best_fitness then
               best_fitness = fitness[i]
               best_solution:copy(children[i])
            end
         end
      end
   end
   return best_solution, fx
end

return optim.de
