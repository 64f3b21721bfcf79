"""Python optimizers over t7 Tensors (Lua modules' parameters included), with PyTorch's
names, options, update rules and state_dict layout. Not the Lua package `optim`
(t7.require('optim'))."""
from . import lr_scheduler
from .adagrad import Adagrad
from .adam import Adam
from .adamw import AdamW
from .lbfgs import LBFGS
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "LBFGS", "lr_scheduler"]
