#!/usr/bin/env node
import '../dist/kalint.js';
