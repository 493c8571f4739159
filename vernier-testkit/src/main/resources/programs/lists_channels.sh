#!/bin/sh
cd input/data && find . -type f | sort
