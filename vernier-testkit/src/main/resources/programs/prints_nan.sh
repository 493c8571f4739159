#!/bin/sh
echo "loss=nan"
echo "loss=NaN"
echo "loss=inf"
echo "loss=-Infinity"
echo "loss=oops"
echo "loss=0.25"
echo "loss=nan"
