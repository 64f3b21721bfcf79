"""t7.nn: Python modules (Module, Parameter, a few layers), the functional operations, and
t7.nn.Lua to use any Lua nn module as a Python one. (The Lua package stays
t7.require('nn').)"""
from . import functional
from .layers import (AvgPool2d, BatchNorm1d, BatchNorm2d, Conv2d, CrossEntropyLoss, Dropout,
                     Embedding, Flatten, Linear, LogSoftmax, MaxPool2d, MSELoss, NLLLoss, ReLU,
                     Sequential, Sigmoid, Softmax, Tanh)
from .lua_module import Lua
from .module import Module
from .parameter import Parameter

__all__ = ["functional", "Module", "Parameter", "Lua", "Linear", "Conv2d", "ReLU", "Tanh",
           "Sigmoid", "Softmax", "LogSoftmax", "Flatten", "Dropout", "MaxPool2d", "AvgPool2d",
           "BatchNorm1d", "BatchNorm2d", "Embedding", "Sequential", "CrossEntropyLoss",
           "NLLLoss", "MSELoss"]
